using ServiceProxy.Kubernetes.Watching;

namespace Netlink.Tests.Kubernetes.Watching;

public sealed class RetryBackoffTests
{
    [Fact]
    public void Delays_double_up_to_the_cap_and_start_over_after_a_success()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), jitter: 0);
        TimeSpan[] delays = [.. Enumerable.Range(0, 6).Select(_ => backoff.Next())];
        Assert.Equal([1, 2, 4, 8, 8, 8], delays.Select(d => d.TotalSeconds));
        Assert.Equal(6, backoff.Failures);

        backoff.Reset();
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next());
    }

    [Fact]
    public void Jitter_shortens_a_delay_by_at_most_its_fraction_and_never_passes_the_cap()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), jitter: 0.5, new Random(7));
        var seen = new HashSet<TimeSpan>();
        for (int i = 0; i < 200; i++)
        {
            TimeSpan expectedBase = backoff.NextBase;
            TimeSpan delay = backoff.Next();
            Assert.InRange(delay, expectedBase * 0.5, expectedBase);
            Assert.True(delay <= TimeSpan.FromSeconds(30));
            seen.Add(delay);
        }
        Assert.True(seen.Count > 100, "jitter should spread the delays");
    }

    [Fact]
    public void Thousands_of_failures_do_not_overflow()
    {
        var backoff = new RetryBackoff(TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(30), jitter: 0);
        for (int i = 0; i < 5000; i++)
        {
            backoff.Next();
        }
        Assert.Equal(TimeSpan.FromSeconds(30), backoff.Next());
    }

    [Fact]
    public void Nonsense_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBackoff(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), jitter: 1.5));
    }
}
