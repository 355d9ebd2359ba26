using System.Globalization;
using System.Net;
using System.Text;

namespace Ipvsd.Observability;

/// <summary>
/// /healthz as kube-proxy serves it: 200 while syncs succeed within twice the sync period, else 503, with a small JSON
/// body giving the last successful sync and the current time. Served by HttpListener (no web framework for one URL).
/// </summary>
internal sealed class HealthEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<DateTimeOffset?> _lastSuccess;
    private readonly TimeSpan _allowed;
    private readonly TimeProvider _time;

    public HealthEndpoint(IPEndPoint address, TimeSpan syncPeriod, Func<DateTimeOffset?> lastSuccess, TimeProvider time)
    {
        _listener.Prefixes.Add($"http://{Host(address)}:{address.Port}/healthz/");
        _lastSuccess = lastSuccess;
        _allowed = syncPeriod * 2;
        _time = time;
    }

    /// <summary>
    /// The host part of an HttpListener prefix: HttpListener refuses 0.0.0.0 as a host ("the request is not supported"),
    /// and takes "+" for every address instead.
    /// </summary>
    public static string Host(IPEndPoint address) =>
        address.Address.Equals(IPAddress.Any) || address.Address.Equals(IPAddress.IPv6Any) ? "+"
        : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address.Address}]" : address.Address.ToString();

    /// <summary>kube-proxy's rule: healthy while the last successful sync is no older than twice the sync period.</summary>
    public static bool IsFresh(DateTimeOffset lastSuccess, TimeSpan syncPeriod, DateTimeOffset now) => now - lastSuccess <= syncPeriod * 2;

    public void Start()
    {
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Answer(context);
        }
    }

    private void Answer(HttpListenerContext context)
    {
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset? last = _lastSuccess();
        bool healthy = last is { } at && now - at <= _allowed;
        string body = string.Create(CultureInfo.InvariantCulture,
            $"{{\"lastUpdated\": \"{(last is { } l ? l.ToString("O", CultureInfo.InvariantCulture) : "")}\",\"currentTime\": \"{now:O}\"}}\n");
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = healthy ? 200 : 503;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        try
        {
            context.Response.OutputStream.Write(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // the client went away; nothing to tell it
        }
    }

    public void Dispose() => _listener.Close();
}
