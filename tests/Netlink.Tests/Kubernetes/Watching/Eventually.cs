namespace Netlink.Tests.Kubernetes.Watching;

/// <summary>Waits for a condition that another task makes true; a hang fails the test instead of blocking the run.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    public static async Task HoldsAsync(Func<bool> condition, string what)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(Limit);
        while (!condition())
        {
            try
            {
                await Task.Delay(5, limit.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"gave up waiting for {what}");
            }
        }
    }

    public static async Task<T> WithinLimitAsync<T>(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(Limit, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"gave up waiting for {what}");
            throw;
        }
    }

    public static async Task WithinLimitAsync(Task task, string what)
    {
        try
        {
            await task.WaitAsync(Limit, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"gave up waiting for {what}");
        }
    }
}
