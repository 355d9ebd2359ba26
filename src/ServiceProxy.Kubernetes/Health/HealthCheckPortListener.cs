using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using ServiceProxy.Kubernetes.Translation;

namespace ServiceProxy.Kubernetes.Health;

/// <summary>
/// One Service's health check node port: a listening socket per address (one dual-stack socket for every address),
/// answering each connection once with <see cref="HealthCheckResponse"/> whatever its path, method or Host header, as
/// kube-proxy's Go server does. A plain socket rather than HttpListener, which routes by the Host header (a checker
/// naming the load balancer would get 404) and cannot listen on the IPv6 wildcard.
/// </summary>
internal sealed class HealthCheckPortListener : IDisposable
{
    /// <summary>A request head longer than this is not read further: the answer does not depend on it.</summary>
    private const int MaxRequestHead = 8192;

    /// <summary>A checker that says nothing for this long is not waited for.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket[] _sockets;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<bool> _proxyHealthy;
    private readonly ILogger _logger;
    private volatile int _localEndpoints;

    private HealthCheckPortListener(ServiceName service, ushort port, Socket[] sockets, int localEndpoints, Func<bool> proxyHealthy, ILogger logger)
    {
        Service = service;
        Port = port;
        _sockets = sockets;
        _localEndpoints = localEndpoints;
        _proxyHealthy = proxyHealthy;
        _logger = logger;
        Stopped = Task.WhenAll(sockets.Select(AcceptAsync));
    }

    public ServiceName Service { get; }

    public ushort Port { get; }

    /// <summary>The count the next answer gives.</summary>
    public int LocalEndpoints
    {
        get => _localEndpoints;
        set => _localEndpoints = value;
    }

    /// <summary>Ends once every accept loop has ended, after <see cref="Dispose"/>.</summary>
    public Task Stopped { get; }

    /// <summary>
    /// Listens on <paramref name="port"/> of each of <paramref name="addresses"/> (every address when empty), or on
    /// none: a <see cref="SocketException"/> (the port is taken) closes what was opened, so the next attempt starts clean.
    /// </summary>
    public static HealthCheckPortListener Open(ServiceName service, HealthCheckNodePort port, IReadOnlyList<IPAddress> addresses, Func<bool> proxyHealthy, ILogger logger)
    {
        IPAddress[] bindTo = addresses.Count > 0 ? [.. addresses] : [Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any];
        var sockets = new List<Socket>(bindTo.Length);
        try
        {
            foreach (IPAddress address in bindTo)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                if (address.Equals(IPAddress.IPv6Any))
                {
                    socket.DualMode = true;
                }
                socket.Bind(new IPEndPoint(address, port.Port));
                socket.Listen(128);
            }
        }
        catch (SocketException)
        {
            foreach (Socket socket in sockets)
            {
                socket.Dispose();
            }
            throw;
        }
        return new HealthCheckPortListener(service, port.Port, [.. sockets], port.LocalEndpoints, proxyHealthy, logger);
    }

    /// <summary>Closes the sockets at once (the port is free when this returns) and abandons answers under way.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }
    }

    private async Task AcceptAsync(Socket listening)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listening.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // An aborted handshake or a full descriptor table: the port stays served, after a breath.
                HealthCheckNodePortLog.RequestFailed(_logger, Service, Port, e.Message);
                try
                {
                    await Task.Delay(100, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            _ = AnswerAsync(client);
        }
    }

    private async Task AnswerAsync(Socket client)
    {
        using (client)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(RequestTimeout);
            try
            {
                bool? headOnly = await ReadRequestHeadAsync(client, timeout.Token).ConfigureAwait(false);
                if (headOnly is not { } head)
                {
                    return;   // connected and left without asking (a TCP health check)
                }
                byte[] response = HealthCheckResponse.Build(Service, _localEndpoints, _proxyHealthy(), head, DateTimeOffset.UtcNow);
                await client.SendAsync(response, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                HealthCheckNodePortLog.RequestFailed(_logger, Service, Port, e.Message);
            }
        }
    }

    /// <summary>
    /// Reads the request head (up to its blank line, or <see cref="MaxRequestHead"/> bytes): whether it is a HEAD
    /// request, or null when the client closed without sending anything. Reading it before answering matters: closing
    /// a socket with unread data sends a reset, which can destroy the answer before the client reads it.
    /// </summary>
    private static async Task<bool?> ReadRequestHeadAsync(Socket client, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxRequestHead];
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read = await client.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            filled += read;
            ReadOnlySpan<byte> received = buffer.AsSpan(0, filled);
            if (received.IndexOf("\r\n\r\n"u8) >= 0 || received.IndexOf("\n\n"u8) >= 0)
            {
                break;
            }
        }
        return filled == 0 ? null : buffer.AsSpan(0, filled).StartsWith("HEAD "u8);
    }
}
