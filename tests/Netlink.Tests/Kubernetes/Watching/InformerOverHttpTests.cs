using System.Net;
using k8s.Models;
using KubernetesTestServer;
using ServiceProxy.Kubernetes.Watching;

namespace Netlink.Tests.Kubernetes.Watching;

/// <summary>The informer with the real KubernetesClient over HTTP against the test API server: the watch protocol's cases.</summary>
public sealed class InformerOverHttpTests
{
    private const int Bound = 30_000;

    [Fact(Timeout = Bound)]
    public async Task A_list_then_a_watch_deliver_adds_updates_and_deletes_in_order()
    {
        await using ServerRig rig = await ServerRig.StartAsync();
        rig.Server.Services.Apply(Objects.Service("a"));
        rig.Server.Services.Apply(Objects.Service("b"));

        var (informer, handler) = rig.Start(ResourceKinds.Services);
        await Eventually.WithinLimitAsync(informer.WaitForSyncAsync(TestContext.Current.CancellationToken), "the first list");
        Assert.Equal(["added default/a", "added default/b", "listed"], handler.Events);
        await TestApiServer.WaitForWatchesAsync(rig.Server.Services, 1, TestContext.Current.CancellationToken);

        rig.Server.Services.Apply(Objects.Service("c"));
        rig.Server.Services.Apply(Objects.Service("a", clusterIp: "198.18.0.11"));
        rig.Server.Services.Delete("default", "b");
        await Eventually.HoldsAsync(() => handler.Events.Count == 6, "three watch events");

        Assert.Equal(["added default/c", "updated default/a", "deleted default/b"], handler.Events.Skip(3));
        Assert.Equal("198.18.0.11", informer.Get("default/a")?.Spec.ClusterIP);
        Assert.Null(informer.Get("default/b"));
        Assert.Equal(["default/a", "default/c"], informer.List().Select(ObjectKey.Of).Order(StringComparer.Ordinal));
        Assert.Equal(1, rig.Server.ListCount("services"));
        ApiRequest watch = Assert.Single(rig.Server.WatchRequests("services"));
        Assert.True(watch.AllowWatchBookmarks);
    }

    [Fact(Timeout = Bound)]
    public async Task A_bookmark_advances_the_resource_version_and_the_next_watch_starts_from_it()
    {
        await using ServerRig rig = await ServerRig.StartAsync();
        rig.Server.Services.Apply(Objects.Service("web", labels: Objects.Labels(("app", "web"))));
        var (informer, handler) = rig.Start(ResourceKinds.Services, new ResourceSelector("app=web"));
        await Eventually.WithinLimitAsync(informer.WaitForSyncAsync(TestContext.Current.CancellationToken), "the first list");
        await TestApiServer.WaitForWatchesAsync(rig.Server.Services, 1, TestContext.Current.CancellationToken);
        string listed = informer.ResourceVersion!;

        // Changes the selector hides move the server's resourceVersion on; only a bookmark tells the informer.
        string? latest = null;
        for (int i = 0; i < 3; i++)
        {
            latest = rig.Server.Services.Apply(Objects.Service($"other-{i}")).Metadata.ResourceVersion;
        }
        rig.Server.Services.SendBookmark();
        await Eventually.HoldsAsync(() => informer.ResourceVersion != listed, "the bookmark");
        Assert.Equal(latest, informer.ResourceVersion);
        Assert.Equal(["added default/web", "listed"], handler.Events);

        rig.Server.Services.CloseWatches();
        await Eventually.HoldsAsync(() => rig.Server.WatchRequests("services").Count == 2, "a second watch");
        Assert.Equal(latest, rig.Server.WatchRequests("services")[1].ResourceVersion);
        Assert.Equal(1, rig.Server.ListCount("services"));
    }

    [Theory(Timeout = Bound)]
    [InlineData(ExpiredWatchResponse.HttpStatus)]
    [InlineData(ExpiredWatchResponse.ErrorEvent)]
    public async Task A_watch_refused_with_410_lists_again_and_hands_over_only_the_difference(ExpiredWatchResponse refusal)
    {
        await using ServerRig rig = await ServerRig.StartAsync();
        rig.Server.ExpiredWatchAs = refusal;
        foreach (string name in new[] { "a", "b", "c" })
        {
            rig.Server.Services.Apply(Objects.Service(name));
        }
        var (informer, handler) = rig.Start(ResourceKinds.Services);
        await Eventually.WithinLimitAsync(informer.WaitForSyncAsync(TestContext.Current.CancellationToken), "the first list");
        await TestApiServer.WaitForWatchesAsync(rig.Server.Services, 1, TestContext.Current.CancellationToken);
        string before = informer.ResourceVersion!;

        // The informer misses these changes (its watch is stuck), then the history that held them is compacted away.
        rig.Server.Services.StallWatches();
        rig.Server.Services.Delete("default", "b");
        rig.Server.Services.Apply(Objects.Service("c", clusterIp: "198.18.0.12"));
        rig.Server.Services.Apply(Objects.Service("d"));
        rig.Server.Services.Compact();
        handler.Clear();
        rig.Server.Services.DropWatches();

        await Eventually.HoldsAsync(() => informer.Lists == 2 && handler.Events.Contains("listed"), "the second list");
        Assert.Equal(["deleted default/b", "updated default/c", "added default/d", "listed"], handler.Events);
        Assert.Equal(2, rig.Server.ListCount("services"));
        IReadOnlyList<ApiRequest> watches = rig.Server.WatchRequests("services");
        Assert.Equal(before, watches[1].ResourceVersion);
        await Eventually.HoldsAsync(() => rig.Server.WatchRequests("services").Count == 3, "a watch from the new list");
        Assert.Equal(informer.ResourceVersion, rig.Server.WatchRequests("services")[2].ResourceVersion);
        Assert.NotEqual(before, informer.ResourceVersion);
    }

    [Fact(Timeout = Bound)]
    public async Task An_error_event_with_410_in_the_middle_of_a_watch_lists_again_and_hands_over_only_the_difference()
    {
        await using ServerRig rig = await ServerRig.StartAsync();
        foreach (string name in new[] { "a", "b", "c" })
        {
            rig.Server.Services.Apply(Objects.Service(name));
        }
        var (informer, handler) = rig.Start(ResourceKinds.Services);
        await Eventually.WithinLimitAsync(informer.WaitForSyncAsync(TestContext.Current.CancellationToken), "the first list");
        await TestApiServer.WaitForWatchesAsync(rig.Server.Services, 1, TestContext.Current.CancellationToken);

        rig.Server.Services.StallWatches();
        rig.Server.Services.Delete("default", "a");
        rig.Server.Services.Apply(Objects.Service("b", clusterIp: "198.18.0.13"));
        handler.Clear();
        rig.Server.Services.SendExpiredError();

        await Eventually.HoldsAsync(() => informer.Lists == 2 && handler.Events.Contains("listed"), "the second list");
        Assert.Equal(["deleted default/a", "updated default/b", "listed"], handler.Events);
        Assert.Equal(2, rig.Server.ListCount("services"));
        Assert.Equal("198.18.0.13", informer.Get("default/b")?.Spec.ClusterIP);
    }

    [Fact(Timeout = Bound)]
    public async Task A_watch_the_server_times_out_is_watched_again_from_the_last_resource_version_without_a_list()
    {
        await using ServerRig rig = await ServerRig.StartAsync();
        rig.Server.Services.Apply(Objects.Service("a"));
        // timeoutSeconds is drawn from [WatchTimeout, 2 x WatchTimeout) and rounded down: 1 s here.
        var (informer, handler) = rig.Start(ResourceKinds.Services, watch: new KubernetesWatchOptions { WatchTimeout = TimeSpan.FromSeconds(1) });
        await Eventually.WithinLimitAsync(informer.WaitForSyncAsync(TestContext.Current.CancellationToken), "the first list");
        await TestApiServer.WaitForWatchesAsync(rig.Server.Services, 1, TestContext.Current.CancellationToken);
        string? last = rig.Server.Services.Apply(Objects.Service("b")).Metadata.ResourceVersion;
        await Eventually.HoldsAsync(() => handler.Events.Contains("added default/b"), "the watch event");

        await Eventually.HoldsAsync(() => rig.Server.WatchRequests("services").Count >= 2, "the watch after the timeout");
        IReadOnlyList<ApiRequest> watches = rig.Server.WatchRequests("services");
        Assert.Equal(1, watches[0].TimeoutSeconds);
        Assert.Equal(last, watches[1].ResourceVersion);
        Assert.Equal(1, rig.Server.ListCount("services"));

        rig.Server.Services.Apply(Objects.Service("c"));
        await Eventually.HoldsAsync(() => handler.Events.Contains("added default/c"), "an event on the new watch");
        Assert.Equal(1, rig.Server.ListCount("services"));
    }

    [Fact(Timeout = Bound)]
    public async Task A_connection_dropped_mid_stream_is_watched_again_from_the_last_resource_version_without_a_list()
    {
        await using ServerRig rig = await ServerRig.StartAsync();
        rig.Server.Services.Apply(Objects.Service("a"));
        var (informer, handler) = rig.Start(ResourceKinds.Services);
        await Eventually.WithinLimitAsync(informer.WaitForSyncAsync(TestContext.Current.CancellationToken), "the first list");
        await TestApiServer.WaitForWatchesAsync(rig.Server.Services, 1, TestContext.Current.CancellationToken);
        string? last = rig.Server.Services.Apply(Objects.Service("b")).Metadata.ResourceVersion;
        await Eventually.HoldsAsync(() => handler.Events.Contains("added default/b"), "the watch event");

        rig.Server.Services.DropWatches();
        await Eventually.HoldsAsync(() => rig.Server.WatchRequests("services").Count == 2, "the watch after the drop");
        Assert.Equal(last, rig.Server.WatchRequests("services")[1].ResourceVersion);

        rig.Server.Services.Apply(Objects.Service("c"));
        await Eventually.HoldsAsync(() => handler.Events.Contains("added default/c"), "an event on the new watch");
        Assert.Equal(1, rig.Server.ListCount("services"));
        Assert.Equal(["added default/a", "listed", "added default/b", "added default/c"], handler.Events);
    }

    [Fact(Timeout = Bound)]
    public async Task Failed_lists_and_watches_are_retried_and_a_failed_watch_does_not_list_again()
    {
        await using ServerRig rig = await ServerRig.StartAsync();
        rig.Server.Services.Apply(Objects.Service("a"));
        rig.Server.FailNextLists("services", HttpStatusCode.InternalServerError, 2);
        rig.Server.FailNextWatches("services", HttpStatusCode.ServiceUnavailable, 2);

        var (informer, handler) = rig.Start(ResourceKinds.Services);
        await Eventually.WithinLimitAsync(informer.WaitForSyncAsync(TestContext.Current.CancellationToken), "the first list");
        Assert.Equal(3, rig.Server.ListCount("services"));
        await Eventually.HoldsAsync(() => rig.Server.Services.OpenWatches == 1, "a watch that the server accepts");
        Assert.Equal(3, rig.Server.WatchRequests("services").Count);
        Assert.Equal(3, rig.Server.ListCount("services"));

        rig.Server.Services.Apply(Objects.Service("b"));
        await Eventually.HoldsAsync(() => handler.Events.Contains("added default/b"), "an event on the accepted watch");
    }

    [Fact(Timeout = Bound)]
    public async Task A_line_that_is_not_an_event_fails_the_watch_which_is_retried_from_the_same_version()
    {
        await using ServerRig rig = await ServerRig.StartAsync();
        var (informer, handler) = rig.Start(ResourceKinds.Services);
        await Eventually.WithinLimitAsync(informer.WaitForSyncAsync(TestContext.Current.CancellationToken), "the first list");
        await TestApiServer.WaitForWatchesAsync(rig.Server.Services, 1, TestContext.Current.CancellationToken);
        string listed = informer.ResourceVersion!;

        rig.Server.Services.SendRawLine("{\"type\":\"ADDED\",\"object\":");
        await Eventually.HoldsAsync(() => rig.Server.WatchRequests("services").Count == 2, "the watch after the failure");
        Assert.Equal(listed, rig.Server.WatchRequests("services")[1].ResourceVersion);
        Assert.Equal(1, rig.Server.ListCount("services"));
        Assert.Equal(["listed"], handler.Events);
    }

    [Fact(Timeout = Bound)]
    public async Task Cancelling_stops_an_informer_in_the_middle_of_a_watch()
    {
        await using ServerRig rig = await ServerRig.StartAsync();
        var (informer, _) = rig.Start(ResourceKinds.Services);
        await Eventually.WithinLimitAsync(informer.WaitForSyncAsync(TestContext.Current.CancellationToken), "the first list");
        await TestApiServer.WaitForWatchesAsync(rig.Server.Services, 1, TestContext.Current.CancellationToken);

        await rig.StopAsync();
        await Eventually.HoldsAsync(() => rig.Server.Services.OpenWatches == 0, "the server to see the watch go");
        Assert.Single(rig.Server.WatchRequests("services"));
    }
}
