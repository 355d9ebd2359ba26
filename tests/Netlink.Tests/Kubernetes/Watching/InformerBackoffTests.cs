using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Netlink.Tests.ServiceProxy.Health;
using ServiceProxy.Kubernetes.Watching;

namespace Netlink.Tests.Kubernetes.Watching;

/// <summary>The informer's retries on a fake clock: delays that grow and are capped, reset by a success; 410 and ended watches that wait for nothing.</summary>
public sealed class InformerBackoffTests
{
    private const int Bound = 30_000;

    private static readonly InformerOptions Options = new()
    {
        InitialBackoff = TimeSpan.FromSeconds(1),
        MaxBackoff = TimeSpan.FromSeconds(8),
        BackoffJitter = 0,
    };

    private sealed class Rig : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        public Rig()
        {
            Informer = new ResourceInformer<V1Service>(Client, Handler, Options, Time);
        }

        public ScriptedResourceClient Client { get; } = new();

        public RecordingHandler<V1Service> Handler { get; } = new();

        public RecordingTimeProvider Time { get; } = new();

        public ResourceInformer<V1Service> Informer { get; }

        public Task Running { get; private set; } = Task.CompletedTask;

        public void Start() => Running = Informer.RunAsync(_stop.Token);

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Eventually.WithinLimitAsync(Running, "the informer to stop");
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Running.WaitAsync(Eventually.Limit, CancellationToken.None);
            _stop.Dispose();
        }
    }

    [Fact(Timeout = Bound)]
    public async Task Failed_lists_wait_longer_each_time_up_to_the_cap_and_a_success_starts_over()
    {
        await using var rig = new Rig();
        for (int i = 0; i < 6; i++)
        {
            rig.Client.Lists.Enqueue(() => throw new HttpRequestException("connection refused"));
        }
        rig.Client.Lists.Enqueue(() => new ResourceList<V1Service>([ScriptedResourceClient.Service("a", "5")], "5"));
        rig.Client.Watches.Enqueue(_ => ScriptedResourceClient.Failing(new HttpRequestException("connection reset")));
        rig.Start();

        var delays = new List<double>();
        for (int i = 0; i < 6; i++)
        {
            TimeSpan due = await rig.Time.NextTimerAsync();
            delays.Add(due.TotalSeconds);
            Assert.False(rig.Informer.HasSynced);
            rig.Time.Advance(due);
        }
        Assert.Equal([1, 2, 4, 8, 8, 8], delays);

        // The seventh list succeeds; the watch after it fails and waits the initial delay again, then watches (no list).
        TimeSpan afterSuccess = await rig.Time.NextTimerAsync();
        Assert.True(rig.Informer.HasSynced);
        Assert.Equal(TimeSpan.FromSeconds(1), afterSuccess);
        rig.Time.Advance(afterSuccess);
        await Eventually.HoldsAsync(() => rig.Client.WatchCalls == 2, "the second watch");
        Assert.Equal(7, rig.Client.ListCalls);
        Assert.Equal(["5", "5"], rig.Client.WatchedFrom);
    }

    [Fact(Timeout = Bound)]
    public async Task Watches_that_end_at_once_with_nothing_back_off_without_listing_again()
    {
        await using var rig = new Rig();
        rig.Client.Lists.Enqueue(() => new ResourceList<V1Service>([], "7"));
        for (int i = 0; i < 4; i++)
        {
            rig.Client.Watches.Enqueue(_ => ScriptedResourceClient.Events());
        }
        rig.Start();

        var delays = new List<double>();
        for (int i = 0; i < 4; i++)
        {
            TimeSpan due = await rig.Time.NextTimerAsync();
            delays.Add(due.TotalSeconds);
            rig.Time.Advance(due);
        }
        Assert.Equal([1, 2, 4, 8], delays);
        await Eventually.HoldsAsync(() => rig.Client.WatchCalls == 5, "the fifth watch");
        Assert.Equal(1, rig.Client.ListCalls);
        Assert.All(rig.Client.WatchedFrom, from => Assert.Equal("7", from));
    }

    [Fact(Timeout = Bound)]
    public async Task A_410_lists_again_at_once_and_a_bookmark_moves_the_next_watch_on()
    {
        await using var rig = new Rig();
        rig.Client.Lists.Enqueue(() => new ResourceList<V1Service>([ScriptedResourceClient.Service("a", "5")], "5"));
        rig.Client.Watches.Enqueue(_ => ScriptedResourceClient.Events(new WatchEvent<V1Service>(WatchEventKind.Bookmark, ScriptedResourceClient.Service("", "9"))));
        rig.Client.Watches.Enqueue(_ => ScriptedResourceClient.Failing(new KubernetesApiException("gone", HttpStatusCode.Gone, null)));
        rig.Client.Lists.Enqueue(() => new ResourceList<V1Service>([ScriptedResourceClient.Service("a", "5")], "12"));
        rig.Start();

        // No clock advance: neither the re-watch after the bookmark's watch ended nor the list after the 410 waits.
        await Eventually.HoldsAsync(() => rig.Client.WatchCalls == 3, "the watch after the second list");
        Assert.Equal(2, rig.Client.ListCalls);
        Assert.Equal(["5", "9", "12"], rig.Client.WatchedFrom);
        Assert.False(rig.Time.HasTimer);
        // Object "a" did not change between the lists: the handler hears of nothing but the lists.
        Assert.Equal(["added default/a", "listed", "listed"], rig.Handler.Events);
    }

    [Fact(Timeout = Bound)]
    public async Task A_relist_tells_an_object_made_anew_under_the_same_name_as_a_delete_and_an_add()
    {
        await using var rig = new Rig();
        rig.Client.Lists.Enqueue(() => new ResourceList<V1Service>([ScriptedResourceClient.Service("a", "5", "uid-1"), ScriptedResourceClient.Service("b", "6")], "6"));
        rig.Client.Watches.Enqueue(_ => ScriptedResourceClient.Failing(new KubernetesApiException("gone", null, new V1Status { Code = 410, Reason = "Expired" })));
        rig.Client.Lists.Enqueue(() => new ResourceList<V1Service>([ScriptedResourceClient.Service("a", "20", "uid-2"), ScriptedResourceClient.Service("b", "6")], "21"));
        rig.Start();

        await Eventually.HoldsAsync(() => rig.Informer.Lists == 2 && rig.Handler.Events.Count == 6, "the second list");
        Assert.Equal(["added default/a", "added default/b", "listed", "deleted default/a", "added default/a", "listed"], rig.Handler.Events);
        Assert.Equal("uid-2", rig.Informer.Get("default/a")!.Metadata.Uid);
    }

    [Fact(Timeout = Bound)]
    public async Task Events_keep_the_cache_consistent_whatever_their_type_says()
    {
        await using var rig = new Rig();
        rig.Client.Lists.Enqueue(() => new ResourceList<V1Service>([ScriptedResourceClient.Service("a", "5")], "5"));
        rig.Client.Watches.Enqueue(_ => ScriptedResourceClient.Events(
            new WatchEvent<V1Service>(WatchEventKind.Added, ScriptedResourceClient.Service("a", "6")),
            new WatchEvent<V1Service>(WatchEventKind.Modified, ScriptedResourceClient.Service("b", "7")),
            new WatchEvent<V1Service>(WatchEventKind.Deleted, ScriptedResourceClient.Service("zz", "8")),
            new WatchEvent<V1Service>(WatchEventKind.Deleted, ScriptedResourceClient.Service("a", "9"))));
        rig.Start();

        await Eventually.HoldsAsync(() => rig.Client.WatchCalls == 2, "the watch after the first ended");
        Assert.Equal(["added default/a", "listed", "updated default/a", "added default/b", "deleted default/a"], rig.Handler.Events);
        Assert.Equal("9", rig.Informer.ResourceVersion);
        Assert.Equal(["default/b"], rig.Informer.List().Select(ObjectKey.Of));
    }

    [Fact(Timeout = Bound)]
    public async Task Cancelling_stops_an_informer_waiting_out_a_backoff()
    {
        await using var rig = new Rig();
        rig.Client.Lists.Enqueue(() => throw new HttpRequestException("connection refused"));
        rig.Start();
        Assert.Equal(TimeSpan.FromSeconds(1), await rig.Time.NextTimerAsync());

        await rig.StopAsync();
        Assert.True(rig.Running.IsCompletedSuccessfully);
        Assert.Equal(1, rig.Client.ListCalls);
    }

    [Fact(Timeout = Bound)]
    public async Task A_handler_that_throws_does_not_stop_the_informer()
    {
        var client = new ScriptedResourceClient();
        client.Lists.Enqueue(() => new ResourceList<V1Service>([ScriptedResourceClient.Service("a", "5")], "5"));
        client.Watches.Enqueue(_ => ScriptedResourceClient.Events(new WatchEvent<V1Service>(WatchEventKind.Added, ScriptedResourceClient.Service("b", "6"))));
        var informer = new ResourceInformer<V1Service>(client, new ThrowingHandler(), Options, new RecordingTimeProvider());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        Task running = informer.RunAsync(stop.Token);

        await Eventually.HoldsAsync(() => client.WatchCalls == 2, "the watch after the first ended");
        Assert.True(informer.HasSynced);
        Assert.Equal(["default/a", "default/b"], informer.List().Select(ObjectKey.Of).Order(StringComparer.Ordinal));
        await stop.CancelAsync();
        await Eventually.WithinLimitAsync(running, "the informer to stop");
    }

    [Fact(Timeout = Bound)]
    public async Task Failures_and_relists_are_logged_with_what_happens_next()
    {
        var client = new ScriptedResourceClient();
        client.Lists.Enqueue(() => throw new HttpRequestException("connection refused"));
        client.Lists.Enqueue(() => new ResourceList<V1Service>([ScriptedResourceClient.Service("a", "5")], "5"));
        client.Watches.Enqueue(_ => ScriptedResourceClient.Failing(new KubernetesApiException("gone", HttpStatusCode.Gone, null)));
        var logger = new ListLogger<ResourceInformer<V1Service>>();
        var time = new RecordingTimeProvider();
        var informer = new ResourceInformer<V1Service>(client, new RecordingHandler<V1Service>(), Options, time, logger);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        Task running = informer.RunAsync(stop.Token);

        time.Advance(await time.NextTimerAsync());
        await Eventually.HoldsAsync(() => informer.Lists == 2, "the list after the 410");
        await stop.CancelAsync();
        await Eventually.WithinLimitAsync(running, "the informer to stop");

        LoggedLine failed = Assert.Single(logger.Lines, l => l.EventName == "Failed");
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Equal("services: list failed (1 in a row); retrying in 1000 ms", failed.Message);
        LoggedLine expired = Assert.Single(logger.Lines, l => l.EventName == "Expired");
        Assert.Equal(LogLevel.Information, expired.Level);
        Assert.Equal("5", expired.Values["ResourceVersion"]);
        Assert.Equal(2, logger.Lines.Count(l => l.EventName == "Listed"));
    }

    [Fact(Timeout = Bound)]
    public async Task The_transform_applies_to_listed_and_watched_objects_before_the_cache_and_the_handler()
    {
        var client = new ScriptedResourceClient();
        client.Lists.Enqueue(() => new ResourceList<V1Service>([ScriptedResourceClient.Service("a", "5")], "5"));
        client.Watches.Enqueue(_ => ScriptedResourceClient.Events(new WatchEvent<V1Service>(WatchEventKind.Added, ScriptedResourceClient.Service("b", "6"))));
        var seen = new List<string>();
        var informer = new ResourceInformer<V1Service>(client, new RecordingHandler<V1Service>(), Options, new RecordingTimeProvider())
        {
            Transform = s =>
            {
                lock (seen)
                {
                    seen.Add(s.Metadata.Name);
                }
                s.Metadata.Labels = new Dictionary<string, string> { ["trimmed"] = "yes" };
                return s;
            },
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        Task running = informer.RunAsync(stop.Token);
        await Eventually.HoldsAsync(() => client.WatchCalls == 2, "the watch after the first ended");
        await stop.CancelAsync();
        await Eventually.WithinLimitAsync(running, "the informer to stop");

        Assert.Equal(["a", "b"], seen);
        Assert.All(informer.List(), s => Assert.Equal("yes", s.Metadata.Labels["trimmed"]));
    }

    [Fact(Timeout = Bound)]
    public async Task An_informer_runs_once()
    {
        await using var rig = new Rig();
        rig.Start();
        await Eventually.HoldsAsync(() => rig.Client.WatchCalls == 1, "the watch");
        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Informer.RunAsync(CancellationToken.None));
    }

    private sealed class ThrowingHandler : IResourceHandler<V1Service>
    {
        public void OnAdded(V1Service item) => throw new InvalidOperationException("handler bug");

        public void OnUpdated(V1Service previous, V1Service current) => throw new InvalidOperationException("handler bug");

        public void OnDeleted(V1Service item) => throw new InvalidOperationException("handler bug");

        public void OnListed() => throw new InvalidOperationException("handler bug");
    }
}
