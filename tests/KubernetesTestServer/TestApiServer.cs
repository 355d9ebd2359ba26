using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace KubernetesTestServer;

/// <summary>
/// A Kubernetes API server for tests, on Kestrel: Services, EndpointSlices (discovery.k8s.io/v1) and Nodes in memory,
/// listed and watched over HTTP as the real server does it (the watch protocol of ../shared/KUBE-PROXY.md), with the
/// faults a client must survive on demand: 410 Gone as an HTTP status or as an ERROR event, watches ended by
/// timeout, connections dropped mid-stream, bookmarks.
/// </summary>
public sealed class TestApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServerClock _clock = new();
    private readonly Dictionary<string, IResourceStore> _stores = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ApiRequest> _requests = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<HttpStatusCode>> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _listGates = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    private TestApiServer(WebApplication app)
    {
        _app = app;
        Services = Add(new ResourceStore<V1Service>(_clock, "services", "Service", "v1", "/api/v1", namespaced: true));
        EndpointSlices = Add(new ResourceStore<V1EndpointSlice>(_clock, "endpointslices", "EndpointSlice", "discovery.k8s.io/v1", "/apis/discovery.k8s.io/v1", namespaced: true));
        Nodes = Add(new ResourceStore<V1Node>(_clock, "nodes", "Node", "v1", "/api/v1", namespaced: false));
    }

    /// <summary>Starts a server on <paramref name="endpoint"/> (127.0.0.1 with a port of the OS's choosing when null).</summary>
    /// <param name="endpoint">Where to listen.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <returns>The running server.</returns>
    public static async Task<TestApiServer> StartAsync(IPEndPoint? endpoint = null, CancellationToken cancellationToken = default)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(endpoint ?? new IPEndPoint(IPAddress.Loopback, 0), listen => listen.Protocols = HttpProtocols.Http1));
        WebApplication app = builder.Build();
        var server = new TestApiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Services (core/v1).</summary>
    public ResourceStore<V1Service> Services { get; }

    /// <summary>EndpointSlices (discovery.k8s.io/v1).</summary>
    public ResourceStore<V1EndpointSlice> EndpointSlices { get; }

    /// <summary>Nodes (core/v1, cluster-scoped).</summary>
    public ResourceStore<V1Node> Nodes { get; }

    /// <summary>How a watch from a compacted resourceVersion is refused.</summary>
    public ExpiredWatchResponse ExpiredWatchAs { get; set; } = ExpiredWatchResponse.ErrorEvent;

    /// <summary>Every request answered so far, in order.</summary>
    public IReadOnlyList<ApiRequest> Requests => [.. _requests];

    /// <summary>A client configuration for this server (plain HTTP, no credentials).</summary>
    /// <returns>The configuration.</returns>
    public KubernetesClientConfiguration ClientConfiguration() => new() { Host = BaseAddress.ToString() };

    /// <summary>Lists of <paramref name="resource"/> answered so far.</summary>
    /// <param name="resource">"services", "endpointslices" or "nodes".</param>
    /// <returns>The count.</returns>
    public int ListCount(string resource) => _requests.Count(r => r.IsList && r.Resource == resource);

    /// <summary>Watches of <paramref name="resource"/> asked for so far.</summary>
    /// <param name="resource">"services", "endpointslices" or "nodes".</param>
    /// <returns>The requests, in order.</returns>
    public IReadOnlyList<ApiRequest> WatchRequests(string resource) => [.. _requests.Where(r => r.Watch && r.Resource == resource)];

    /// <summary>The next <paramref name="count"/> watches of <paramref name="resource"/> are refused with <paramref name="status"/>.</summary>
    /// <param name="resource">The resource.</param>
    /// <param name="status">The HTTP status, e.g. 410 Gone or 500.</param>
    /// <param name="count">How many watches.</param>
    public void FailNextWatches(string resource, HttpStatusCode status, int count = 1)
    {
        ConcurrentQueue<HttpStatusCode> queue = _failures.GetOrAdd("watch " + resource, _ => new());
        for (int i = 0; i < count; i++)
        {
            queue.Enqueue(status);
        }
    }

    /// <summary>The next <paramref name="count"/> lists of <paramref name="resource"/> are refused with <paramref name="status"/>.</summary>
    /// <param name="resource">The resource.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="count">How many lists.</param>
    public void FailNextLists(string resource, HttpStatusCode status, int count = 1)
    {
        ConcurrentQueue<HttpStatusCode> queue = _failures.GetOrAdd("list " + resource, _ => new());
        for (int i = 0; i < count; i++)
        {
            queue.Enqueue(status);
        }
    }

    /// <summary>Lists of <paramref name="resource"/> wait (without answering) until the returned object is disposed.</summary>
    /// <param name="resource">The resource.</param>
    /// <returns>Dispose it to let the lists through.</returns>
    public IDisposable HoldLists(string resource)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _listGates[resource] = gate;
        return new Release(() =>
        {
            _listGates.TryRemove(resource, out _);
            gate.TrySetResult();
        });
    }

    /// <summary>Waits until <paramref name="store"/> has at least <paramref name="count"/> open watches.</summary>
    /// <param name="store">The kind.</param>
    /// <param name="count">How many.</param>
    /// <param name="cancellationToken">Gives up.</param>
    /// <returns>A task completing when they are open.</returns>
    public static async Task WaitForWatchesAsync<T>(ResourceStore<T> store, int count, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>, new()
    {
        ArgumentNullException.ThrowIfNull(store);
        while (store.OpenWatches < count)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Loads every <c>*.json</c> file of a folder: single objects (Service, EndpointSlice, Node) or lists of them.</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>How many objects were stored.</returns>
    public int LoadObjects(string directory) => ObjectFiles.Load(directory, this);

    internal bool TryStore(string kind, out IResourceStore store)
    {
        string resource = kind switch
        {
            "Service" => "services",
            "EndpointSlice" => "endpointslices",
            "Node" => "nodes",
            _ => kind,
        };
        return _stores.TryGetValue(resource, out store!);
    }

    /// <summary>Stops the server, ending open watches.</summary>
    /// <returns>A task completing when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private ResourceStore<T> Add<T>(ResourceStore<T> store) where T : class, IKubernetesObject<V1ObjectMeta>, new()
    {
        _stores.Add(store.Resource, store);
        return store;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!TryRoute(context.Request.Path.Value ?? "", out IResourceStore? store, out string? namespaceName, out string? name))
        {
            await WriteStatusAsync(context, HttpStatusCode.NotFound, "NotFound", $"the server could not find the requested resource {context.Request.Path}").ConfigureAwait(false);
            return;
        }
        IQueryCollection query = context.Request.Query;
        string method = context.Request.Method;
        bool watch = HttpMethods.IsGet(method) && name is null && query["watch"] is var w && (w == "true" || w == "1");
        var request = new ApiRequest(
            method,
            store.Resource,
            watch,
            Optional(query, "resourceVersion"),
            Optional(query, "labelSelector"),
            Optional(query, "fieldSelector"),
            query["allowWatchBookmarks"] == "true",
            int.TryParse(query["timeoutSeconds"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) ? seconds : null,
            namespaceName)
        {
            IsList = HttpMethods.IsGet(method) && name is null && !watch,
            Authorization = context.Request.Headers.Authorization.Count > 0 ? context.Request.Headers.Authorization.ToString() : null,
        };
        _requests.Enqueue(request);
        try
        {
            if (HttpMethods.IsGet(method) && name is not null)
            {
                string? json = store.GetJson(namespaceName, name);
                await (json is null ? NotFoundAsync(context, store, name) : WriteJsonAsync(context, HttpStatusCode.OK, json)).ConfigureAwait(false);
            }
            else if (watch)
            {
                await WatchAsync(context, store, request).ConfigureAwait(false);
            }
            else if (HttpMethods.IsGet(method))
            {
                await ListAsync(context, store, request).ConfigureAwait(false);
            }
            else if ((HttpMethods.IsPost(method) && name is null) || (HttpMethods.IsPut(method) && name is not null))
            {
                using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
                string body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
                string json = store.ApplyJson(body, namespaceName, name);
                await WriteJsonAsync(context, HttpMethods.IsPost(method) ? HttpStatusCode.Created : HttpStatusCode.OK, json).ConfigureAwait(false);
            }
            else if (HttpMethods.IsDelete(method) && name is not null)
            {
                string? json = store.DeleteJson(namespaceName, name);
                await (json is null ? NotFoundAsync(context, store, name) : WriteJsonAsync(context, HttpStatusCode.OK, json)).ConfigureAwait(false);
            }
            else
            {
                await WriteStatusAsync(context, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", $"{method} is not supported here").ConfigureAwait(false);
            }
        }
        catch (FormatException e)
        {
            await WriteStatusAsync(context, HttpStatusCode.BadRequest, "BadRequest", e.Message).ConfigureAwait(false);
        }
    }

    private async Task ListAsync(HttpContext context, IResourceStore store, ApiRequest request)
    {
        if (_listGates.TryGetValue(store.Resource, out TaskCompletionSource? gate))
        {
            await gate.Task.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        if (NextFailure("list " + store.Resource) is { } failure)
        {
            await WriteStatusAsync(context, failure, failure.ToString(), "injected failure").ConfigureAwait(false);
            return;
        }
        string json = store.ListJson(request.Namespace, LabelSelector.Parse(request.LabelSelector), FieldSelector.Parse(request.FieldSelector));
        await WriteJsonAsync(context, HttpStatusCode.OK, json).ConfigureAwait(false);
    }

    private async Task WatchAsync(HttpContext context, IResourceStore store, ApiRequest request)
    {
        if (NextFailure("watch " + store.Resource) is { } failure)
        {
            await WriteStatusAsync(context, failure, failure == HttpStatusCode.Gone ? "Expired" : failure.ToString(), "injected failure").ConfigureAwait(false);
            return;
        }
        Watcher watcher;
        try
        {
            watcher = store.OpenWatch(request.Namespace, LabelSelector.Parse(request.LabelSelector), FieldSelector.Parse(request.FieldSelector), request.ResourceVersion, request.AllowWatchBookmarks);
        }
        catch (ResourceExpiredException e)
        {
            if (ExpiredWatchAs == ExpiredWatchResponse.HttpStatus)
            {
                await WriteStatusAsync(context, HttpStatusCode.Gone, "Expired", e.Message).ConfigureAwait(false);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync($"{{\"type\":\"ERROR\",\"object\":{StatusJson.Failure(410, "Expired", e.Message)}}}\n", context.RequestAborted).ConfigureAwait(false);
            }
            return;
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            if (request.TimeoutSeconds is int limit and > 0)
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(limit));
            }
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            // The headers go out at once, as the real server's do: the client's watch is open before the first event.
            await context.Response.StartAsync(timeout.Token).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                while (await watcher.Lines.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                {
                    var chunk = new StringBuilder();
                    while (watcher.Lines.TryRead(out string? line))
                    {
                        chunk.Append(line).Append('\n');
                    }
                    await context.Response.WriteAsync(chunk.ToString(), timeout.Token).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(timeout.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // The watch's timeout, the client going away or the server stopping: the response just ends.
                return;
            }
            if (watcher.Dropped)
            {
                context.Abort();
            }
        }
        finally
        {
            store.CloseWatch(watcher);
        }
    }

    private HttpStatusCode? NextFailure(string key) =>
        _failures.TryGetValue(key, out ConcurrentQueue<HttpStatusCode>? queue) && queue.TryDequeue(out HttpStatusCode status) ? status : null;

    private bool TryRoute(string path, [NotNullWhen(true)] out IResourceStore? store, out string? namespaceName, out string? name)
    {
        store = null;
        namespaceName = null;
        name = null;
        string rest;
        if (path.StartsWith("/api/v1/", StringComparison.Ordinal))
        {
            rest = path["/api/v1/".Length..];
        }
        else if (path.StartsWith("/apis/discovery.k8s.io/v1/", StringComparison.Ordinal))
        {
            rest = path["/apis/discovery.k8s.io/v1/".Length..];
        }
        else
        {
            return false;
        }
        string prefix = path[..(path.Length - rest.Length - 1)];
        string[] parts = rest.TrimEnd('/').Split('/');
        if (parts.Length >= 3 && parts[0] == "namespaces")
        {
            namespaceName = parts[1];
            parts = parts[2..];
        }
        if (parts.Length is < 1 or > 2 || !_stores.TryGetValue(parts[0], out IResourceStore? found) || found.ApiPrefix != prefix || (namespaceName is not null && !found.Namespaced))
        {
            return false;
        }
        store = found;
        name = parts.Length == 2 ? parts[1] : null;
        return true;
    }

    private static string? Optional(IQueryCollection query, string key) => query.TryGetValue(key, out var value) ? value.ToString() : null;

    private static Task NotFoundAsync(HttpContext context, IResourceStore store, string name) =>
        WriteStatusAsync(context, HttpStatusCode.NotFound, "NotFound", $"{store.Resource} \"{name}\" not found");

    private static Task WriteStatusAsync(HttpContext context, HttpStatusCode code, string reason, string message) =>
        WriteJsonAsync(context, code, StatusJson.Failure((int)code, reason, message));

    private static async Task WriteJsonAsync(HttpContext context, HttpStatusCode code, string json)
    {
        context.Response.StatusCode = (int)code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
