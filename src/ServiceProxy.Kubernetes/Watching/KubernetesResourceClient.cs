using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ServiceProxy.Kubernetes.Watching;

/// <summary>
/// List and watch of one kind over the API server. The list is the client's typed call. The watch is a GET of the
/// kind's collection with <c>watch=true</c> sent through the client's own HttpClient and credentials, its JSON lines
/// read here with the client's serializer: KubernetesClient.Aot (the flavour a NativeAOT program must use) has no
/// watch, and its list call with <c>watch: true</c> consumes the first event as if it were a list.
/// </summary>
/// <typeparam name="T">The resource's type.</typeparam>
public sealed class KubernetesResourceClient<T> : IResourceClient<T> where T : class
{
    private readonly KubernetesConnection _connection;
    private readonly ResourceKind<T> _kind;
    private readonly ResourceSelector _selector;
    private readonly KubernetesWatchOptions _options;
    private readonly TimeProvider _time;

    /// <summary>List and watch of <paramref name="kind"/> with <paramref name="selector"/>.</summary>
    /// <param name="connection">The client and its configuration.</param>
    /// <param name="kind">The kind, e.g. <see cref="ResourceKinds.Services"/>.</param>
    /// <param name="selector">The label and field selectors of both the list and the watch.</param>
    /// <param name="options">Watch timeouts; the defaults when null.</param>
    /// <param name="time">The clock of the watches' client-side deadline; the system's when null.</param>
    public KubernetesResourceClient(KubernetesConnection connection, ResourceKind<T> kind, ResourceSelector? selector = null, KubernetesWatchOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(kind);
        _connection = connection;
        _kind = kind;
        _selector = selector ?? ResourceSelector.Everything;
        _options = options ?? new KubernetesWatchOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public string Kind => _kind.Name;

    /// <inheritdoc/>
    public async Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _kind.ListAsync(_connection.Client, _selector, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            HttpStatusCode code = e.Response.StatusCode;
            V1Status? status = ReadStatus(e.Response.Content);
            throw new KubernetesApiException($"list {Kind}: HTTP {(int)code} {status?.Reason} {status?.Message}", code, status, e);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceVersion);
        TimeSpan timeout = ServerTimeout();
        using var deadline = new CancellationTokenSource(timeout + _options.TimeoutGrace, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using HttpRequestMessage request = await CreateRequestAsync(resourceVersion, (int)timeout.TotalSeconds, linked.Token).ConfigureAwait(false);
        HttpResponseMessage response;
        try
        {
            response = await _connection.Client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"watch {Kind}: no answer in {(timeout + _options.TimeoutGrace).TotalSeconds} s");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                string body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
                V1Status? status = ReadStatus(body);
                throw new KubernetesApiException($"watch {Kind} from resourceVersion {resourceVersion}: HTTP {(int)response.StatusCode} {status?.Reason} {status?.Message}", response.StatusCode, status);
            }
            Stream stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await ReadLineAsync(reader, cancellationToken, linked.Token).ConfigureAwait(false) is { } line)
            {
                if (line.Length > 0)
                {
                    yield return WatchEventParser.Parse<T>(line, Kind);
                }
            }
        }
    }

    private TimeSpan ServerTimeout()
    {
        // CA5394: the spread of timeouts needs no cryptographic randomness.
#pragma warning disable CA5394
        double factor = 1 + (_options.Random ?? Random.Shared).NextDouble();
#pragma warning restore CA5394
        return TimeSpan.FromSeconds(Math.Max(1, Math.Floor(_options.WatchTimeout.TotalSeconds * factor)));
    }

    private async Task<HttpRequestMessage> CreateRequestAsync(string resourceVersion, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var query = new StringBuilder(_kind.CollectionPath);
        query.Append("?watch=true&allowWatchBookmarks=true");
        if (resourceVersion.Length > 0)
        {
            query.Append("&resourceVersion=").Append(Uri.EscapeDataString(resourceVersion));
        }
        if (!string.IsNullOrEmpty(_selector.LabelSelector))
        {
            query.Append("&labelSelector=").Append(Uri.EscapeDataString(_selector.LabelSelector));
        }
        if (!string.IsNullOrEmpty(_selector.FieldSelector))
        {
            query.Append("&fieldSelector=").Append(Uri.EscapeDataString(_selector.FieldSelector));
        }
        query.Append(CultureInfo.InvariantCulture, $"&timeoutSeconds={timeoutSeconds}");

        k8s.Kubernetes client = _connection.Client;
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, query.ToString()));
        // As the client's own calls do: HTTP/2 where the server offers it (one connection for every watch), unless disabled.
        if (!_connection.Configuration.DisableHttp2)
        {
            request.Version = HttpVersion.Version20;
        }
        if (!string.IsNullOrWhiteSpace(_connection.Configuration.TlsServerName))
        {
            request.Headers.Host = _connection.Configuration.TlsServerName;
        }
        if (client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
        return request;
    }

    /// <summary>The next line, or null when the watch has ended: the server closed it, the connection broke, or the client-side deadline passed.</summary>
    private static async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken stop, CancellationToken linked)
    {
        try
        {
            return await reader.ReadLineAsync(linked).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // A connection dropped mid-stream (HttpIOException "response ended prematurely" and the like) ends the watch
            // like a timeout does: the informer watches again from its last resourceVersion.
            return null;
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return null;
        }
    }

    private static V1Status? ReadStatus(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }
        try
        {
            return KubernetesJson.Deserialize<V1Status>(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
