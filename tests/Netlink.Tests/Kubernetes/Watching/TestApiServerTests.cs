using System.Net;
using System.Text.Json;
using k8s.Models;
using KubernetesTestServer;
using ServiceProxy.Kubernetes.Watching;

namespace Netlink.Tests.Kubernetes.Watching;

/// <summary>The test API server speaks the watch protocol as the real one does (checked with a bare HttpClient, so not through our own reader).</summary>
public sealed class TestApiServerTests
{
    private const int Bound = 30_000;

    private static async Task<(HttpResponseMessage Response, StreamReader Reader)> OpenAsync(TestApiServer server, HttpClient http, string pathAndQuery)
    {
        HttpResponseMessage response = await http.GetAsync(new Uri(server.BaseAddress, pathAndQuery), HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        return (response, reader);
    }

    private static async Task<(string Type, JsonElement Object)> NextEventAsync(StreamReader reader)
    {
        string? line = await Eventually.WithinLimitAsync(reader.ReadLineAsync(TestContext.Current.CancellationToken).AsTask(), "a watch line");
        Assert.NotNull(line);
        using JsonDocument document = JsonDocument.Parse(line);
        return (document.RootElement.GetProperty("type").GetString()!, document.RootElement.GetProperty("object").Clone());
    }

    [Fact(Timeout = Bound)]
    public async Task A_watch_from_zero_starts_with_every_object_added_then_goes_on_in_chunked_json_lines()
    {
        await using TestApiServer server = await TestApiServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.Services.Apply(Objects.Service("a"));
        server.Services.Apply(Objects.Service("b"));
        using var http = new HttpClient();
        var (response, reader) = await OpenAsync(server, http, "api/v1/services?watch=true&resourceVersion=0");
        using (response)
        using (reader)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.TransferEncodingChunked);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var first = await NextEventAsync(reader);
            var second = await NextEventAsync(reader);
            Assert.Equal(("ADDED", "a"), (first.Type, first.Object.GetProperty("metadata").GetProperty("name").GetString()));
            Assert.Equal(("ADDED", "b"), (second.Type, second.Object.GetProperty("metadata").GetProperty("name").GetString()));
            Assert.Equal("Service", first.Object.GetProperty("kind").GetString());
            Assert.Equal("198.18.0.10", first.Object.GetProperty("spec").GetProperty("clusterIP").GetString());

            server.Services.Delete("default", "a");
            var deleted = await NextEventAsync(reader);
            Assert.Equal("DELETED", deleted.Type);
        }
    }

    [Fact(Timeout = Bound)]
    public async Task A_watch_from_a_given_version_starts_exactly_after_it()
    {
        await using TestApiServer server = await TestApiServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        string from = server.Services.Apply(Objects.Service("a")).Metadata.ResourceVersion;
        string b = server.Services.Apply(Objects.Service("b")).Metadata.ResourceVersion;
        server.Services.Apply(Objects.Service("a", clusterIp: "198.18.0.11"));
        using var http = new HttpClient();
        var (response, reader) = await OpenAsync(server, http, $"api/v1/services?watch=true&resourceVersion={from}&allowWatchBookmarks=true");
        using (response)
        using (reader)
        {
            var first = await NextEventAsync(reader);
            var second = await NextEventAsync(reader);
            Assert.Equal(("ADDED", b), (first.Type, first.Object.GetProperty("metadata").GetProperty("resourceVersion").GetString()));
            Assert.Equal("MODIFIED", second.Type);

            server.Services.SendBookmark();
            var bookmark = await NextEventAsync(reader);
            Assert.Equal("BOOKMARK", bookmark.Type);
            Assert.Equal(second.Object.GetProperty("metadata").GetProperty("resourceVersion").GetString(), bookmark.Object.GetProperty("metadata").GetProperty("resourceVersion").GetString());
            Assert.False(bookmark.Object.TryGetProperty("spec", out _));
        }
    }

    [Theory(Timeout = Bound)]
    [InlineData(ExpiredWatchResponse.HttpStatus)]
    [InlineData(ExpiredWatchResponse.ErrorEvent)]
    public async Task A_watch_from_before_the_compacted_history_is_refused_with_410(ExpiredWatchResponse refusal)
    {
        await using TestApiServer server = await TestApiServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.ExpiredWatchAs = refusal;
        string old = server.Services.Apply(Objects.Service("a")).Metadata.ResourceVersion;
        server.Services.Apply(Objects.Service("b"));
        server.Services.Compact();
        using var http = new HttpClient();
        var (response, reader) = await OpenAsync(server, http, $"api/v1/services?watch=true&resourceVersion={old}");
        using (response)
        using (reader)
        {
            JsonElement status;
            if (refusal == ExpiredWatchResponse.HttpStatus)
            {
                Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
                status = JsonDocument.Parse(await reader.ReadToEndAsync(TestContext.Current.CancellationToken)).RootElement;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var error = await NextEventAsync(reader);
                Assert.Equal("ERROR", error.Type);
                status = error.Object;
                Assert.Null(await reader.ReadLineAsync(TestContext.Current.CancellationToken));
            }
            Assert.Equal("Status", status.GetProperty("kind").GetString());
            Assert.Equal(410, status.GetProperty("code").GetInt32());
            Assert.Equal("Expired", status.GetProperty("reason").GetString());
        }
    }

    [Fact(Timeout = Bound)]
    public async Task The_history_keeps_a_window_of_changes_and_a_watch_from_before_it_is_refused()
    {
        await using TestApiServer server = await TestApiServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.ExpiredWatchAs = ExpiredWatchResponse.HttpStatus;
        server.Services.HistoryLimit = 2;
        string first = server.Services.Apply(Objects.Service("a")).Metadata.ResourceVersion;
        string second = server.Services.Apply(Objects.Service("b")).Metadata.ResourceVersion;
        server.Services.Apply(Objects.Service("c"));
        server.Services.Apply(Objects.Service("d"));
        using var http = new HttpClient();

        using HttpResponseMessage tooOld = await http.GetAsync(new Uri(server.BaseAddress, $"api/v1/services?watch=true&resourceVersion={first}"), HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Gone, tooOld.StatusCode);
        var (response, reader) = await OpenAsync(server, http, $"api/v1/services?watch=true&resourceVersion={second}");
        using (response)
        using (reader)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var next = await NextEventAsync(reader);
            Assert.Equal("c", next.Object.GetProperty("metadata").GetProperty("name").GetString());
        }
    }

    [Fact(Timeout = Bound)]
    public async Task A_list_carries_its_resource_version_and_the_items_the_selectors_pick()
    {
        await using TestApiServer server = await TestApiServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.Services.Apply(Objects.Service("a", labels: Objects.Labels(("tier", "front"))));
        string last = server.Services.Apply(Objects.Service("b", ns: "shop", labels: Objects.Labels(("tier", "back")))).Metadata.ResourceVersion;
        server.Services.Apply(Objects.Service("c"));
        using var http = new HttpClient();
        using JsonDocument list = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.BaseAddress, "api/v1/services?labelSelector=tier%21%3Dfront,tier"), TestContext.Current.CancellationToken));
        Assert.Equal("ServiceList", list.RootElement.GetProperty("kind").GetString());
        Assert.True(long.Parse(list.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(last, System.Globalization.CultureInfo.InvariantCulture));
        JsonElement item = Assert.Single(list.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal("b", item.GetProperty("metadata").GetProperty("name").GetString());

        using JsonDocument namespaced = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.BaseAddress, "api/v1/namespaces/shop/services"), TestContext.Current.CancellationToken));
        Assert.Single(namespaced.RootElement.GetProperty("items").EnumerateArray());
    }

    [Fact(Timeout = Bound)]
    public async Task Fixture_files_load_as_real_api_objects_and_the_client_reads_them_back()
    {
        await using ServerRig rig = await ServerRig.StartAsync();
        Assert.Equal(7, rig.Server.LoadObjects(Path.Combine(AppContext.BaseDirectory, "Kubernetes", "Watching", "Fixtures")));

        var (services, _) = rig.Start(ResourceKinds.Services);
        var (slices, _) = rig.Start(ResourceKinds.EndpointSlices, new ResourceSelector(ServiceProxySelectors.EndpointSlices(null)));
        var (nodes, _) = rig.Start(ResourceKinds.Nodes, new ResourceSelector(FieldSelector: ServiceProxySelectors.Node("node-1")));
        await Eventually.WithinLimitAsync(Task.WhenAll(services.WaitForSyncAsync(TestContext.Current.CancellationToken), slices.WaitForSyncAsync(TestContext.Current.CancellationToken), nodes.WaitForSyncAsync(TestContext.Current.CancellationToken)), "the lists");

        V1Service sticky = services.Get("default/sticky")!;
        Assert.Equal("ClientIP", sticky.Spec.SessionAffinity);
        Assert.Equal(10800, sticky.Spec.SessionAffinityConfig.ClientIP.TimeoutSeconds);
        Assert.Equal(30080, sticky.Spec.Ports[0].NodePort);
        Assert.Equal("None", services.Get("default/db")!.Spec.ClusterIP);
        Assert.Equal("ExternalName", services.Get("default/search")!.Spec.Type);
        V1EndpointSlice web = Assert.Single(slices.List());
        Assert.Equal(["198.19.0.1", "198.19.0.2", "198.19.0.3"], web.Endpoints.Select(e => e.Addresses[0]));
        Assert.True(web.Endpoints[2].Conditions.Terminating);
        Assert.Equal("198.18.1.1", nodes.Get("node-1")!.Status.Addresses[0].Address);
    }
}
