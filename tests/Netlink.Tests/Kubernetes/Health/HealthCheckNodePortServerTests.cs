using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Netlink.Tests.Kubernetes.Watching;
using Netlink.Tests.ServiceProxy.Health;
using ServiceProxy.Kubernetes.Health;
using ServiceProxy.Kubernetes.Translation;

namespace Netlink.Tests.Kubernetes.Health;

/// <summary>The health check node port server over real HTTP on 127.0.0.1, on free ports.</summary>
public sealed class HealthCheckNodePortServerTests : IDisposable
{
    private static readonly ServiceName Web = new("shop", "web");
    private static readonly ServiceName Api = new("shop", "api");
    private static readonly IPAddress[] Loopback = [IPAddress.Loopback];

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task ServiceWithLocalEndpoints_Answers200_WithKubeProxysHeadersAndBody()
    {
        ushort port = FreePort();
        await using var server = new HealthCheckNodePortServer(Loopback);

        server.Apply([new HealthCheckNodePortChange(Web, new HealthCheckNodePort(port, 2))]);

        using HttpResponseMessage response = await GetAsync(port);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("2", Assert.Single(response.Headers.GetValues("X-Load-Balancing-Endpoint-Weight")));
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("shop", body.RootElement.GetProperty("service").GetProperty("namespace").GetString());
        Assert.Equal("web", body.RootElement.GetProperty("service").GetProperty("name").GetString());
        Assert.Equal(2, body.RootElement.GetProperty("localEndpoints").GetInt32());
        Assert.True(body.RootElement.GetProperty("serviceProxyHealthy").GetBoolean());
    }

    [Fact]
    public async Task NoLocalEndpoints_Answers503_AndTheCountFollowsTheChanges()
    {
        ushort port = FreePort();
        await using var server = new HealthCheckNodePortServer(Loopback);

        server.Apply([new HealthCheckNodePortChange(Web, new HealthCheckNodePort(port, 0))]);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, 0), await StatusAndCountAsync(port));

        server.Apply([new HealthCheckNodePortChange(Web, new HealthCheckNodePort(port, 3))]);
        Assert.Equal((HttpStatusCode.OK, 3), await StatusAndCountAsync(port));

        server.Apply([new HealthCheckNodePortChange(Web, new HealthCheckNodePort(port, 0))]);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, 0), await StatusAndCountAsync(port));
    }

    [Fact]
    public async Task AnyPathMethodAndHost_GetsTheAnswer()
    {
        ushort port = FreePort();
        await using var server = new HealthCheckNodePortServer(Loopback);
        server.Apply([new HealthCheckNodePortChange(Web, new HealthCheckNodePort(port, 1))]);

        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://127.0.0.1:{port}/some/where?x=1");
        request.Headers.Host = "my-load-balancer.example";
        using HttpResponseMessage response = await _http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("X-Load-Balancing-Endpoint-Weight")));
    }

    [Fact]
    public async Task ServiceGone_ClosesItsPort_OthersStay()
    {
        ushort webPort = FreePort();
        ushort apiPort = FreePort();
        await using var server = new HealthCheckNodePortServer(Loopback);
        server.Apply([
            new HealthCheckNodePortChange(Web, new HealthCheckNodePort(webPort, 1)),
            new HealthCheckNodePortChange(Api, new HealthCheckNodePort(apiPort, 1)),
        ]);
        Assert.Equal(HttpStatusCode.OK, (await StatusAndCountAsync(webPort)).Status);

        server.Apply([new HealthCheckNodePortChange(Web, null)]);

        Assert.Equal(SocketError.ConnectionRefused, await ConnectErrorAsync(webPort));
        Assert.Equal(HttpStatusCode.OK, (await StatusAndCountAsync(apiPort)).Status);
        Assert.Equal(new Dictionary<ServiceName, ushort> { [Api] = apiPort }, server.Listening);
    }

    [Fact]
    public async Task PortMoved_ClosesTheOldAndServesTheNew()
    {
        ushort before = FreePort();
        ushort after = FreePort();
        await using var server = new HealthCheckNodePortServer(Loopback);
        server.Apply([new HealthCheckNodePortChange(Web, new HealthCheckNodePort(before, 1))]);

        server.Apply([new HealthCheckNodePortChange(Web, new HealthCheckNodePort(after, 1))]);

        Assert.Equal(SocketError.ConnectionRefused, await ConnectErrorAsync(before));
        Assert.Equal(HttpStatusCode.OK, (await StatusAndCountAsync(after)).Status);
    }

    [Fact]
    public async Task Set_ServesExactlyTheGivenPorts()
    {
        ushort webPort = FreePort();
        ushort apiPort = FreePort();
        await using var server = new HealthCheckNodePortServer(Loopback);
        server.Apply([new HealthCheckNodePortChange(Web, new HealthCheckNodePort(webPort, 1))]);

        server.Set(new Dictionary<ServiceName, HealthCheckNodePort> { [Api] = new(apiPort, 2) });

        Assert.Equal(new Dictionary<ServiceName, ushort> { [Api] = apiPort }, server.Listening);
        Assert.Equal(SocketError.ConnectionRefused, await ConnectErrorAsync(webPort));
        Assert.Equal((HttpStatusCode.OK, 2), await StatusAndCountAsync(apiPort));
    }

    [Fact]
    public async Task ProxyUnhealthy_Answers503_WithServiceProxyHealthyFalse()
    {
        ushort port = FreePort();
        await using var server = new HealthCheckNodePortServer(Loopback);
        server.Apply([new HealthCheckNodePortChange(Web, new HealthCheckNodePort(port, 2))]);

        server.SetProxyHealthy(false);

        using HttpResponseMessage response = await GetAsync(port);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.False(body.RootElement.GetProperty("serviceProxyHealthy").GetBoolean());
        Assert.Equal(2, body.RootElement.GetProperty("localEndpoints").GetInt32());

        server.SetProxyHealthy(true);
        Assert.Equal(HttpStatusCode.OK, (await StatusAndCountAsync(port)).Status);
    }

    [Fact]
    public async Task ProxyHealthProbe_IsAskedOnEveryRequest()
    {
        ushort port = FreePort();
        bool healthy = true;
        await using var server = new HealthCheckNodePortServer(Loopback, proxyHealthy: () => Volatile.Read(ref healthy));
        server.Apply([new HealthCheckNodePortChange(Web, new HealthCheckNodePort(port, 1))]);
        Assert.Equal(HttpStatusCode.OK, (await StatusAndCountAsync(port)).Status);

        Volatile.Write(ref healthy, false);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await StatusAndCountAsync(port)).Status);
        Assert.False(server.ProxyHealthy);
    }

    [Fact]
    public async Task BusyPort_IsLoggedOnce_AndOpenedByALaterApplyOnceFree()
    {
        ushort port = FreePort();
        var logger = new ListLogger<HealthCheckNodePortServer>();
        await using var server = new HealthCheckNodePortServer(Loopback, logger);
        var squatter = new TcpListener(IPAddress.Loopback, port);
        squatter.Start();
        try
        {
            server.Apply([new HealthCheckNodePortChange(Web, new HealthCheckNodePort(port, 1))]);
            server.Apply([]);

            Assert.Empty(server.Listening);
            LoggedLine[] failures = [.. logger.Lines.Where(l => l.EventName == "HealthCheckNodePortFailed")];
            Assert.Equal([LogLevel.Warning, LogLevel.Debug], failures.Select(l => l.Level));
            Assert.Contains("shop/web", failures[0].Message, StringComparison.Ordinal);
            Assert.Contains($"port {port}", failures[0].Message, StringComparison.Ordinal);
        }
        finally
        {
            squatter.Stop();
        }

        server.Apply([]);

        Assert.Equal(new Dictionary<ServiceName, ushort> { [Web] = port }, server.Listening);
        Assert.Contains(logger.Lines, l => l.EventName == "HealthCheckNodePortRecovered" && l.Level == LogLevel.Information);
        Assert.Equal(HttpStatusCode.OK, (await StatusAndCountAsync(port)).Status);
    }

    [Fact]
    public async Task NoAddresses_ListensOnEveryAddress_BothFamilies()
    {
        ushort port = FreePort();
        await using var server = new HealthCheckNodePortServer();
        server.Apply([new HealthCheckNodePortChange(Web, new HealthCheckNodePort(port, 1))]);

        Assert.Equal(HttpStatusCode.OK, (await StatusAndCountAsync(port)).Status);
        Assert.Equal(HttpStatusCode.OK, (await StatusAndCountAsync(port, "[::1]")).Status);
    }

    [Fact]
    public async Task Dispose_ClosesEveryPort_AndLaterChangesThrow()
    {
        ushort port = FreePort();
        var server = new HealthCheckNodePortServer(Loopback);
        server.Apply([new HealthCheckNodePortChange(Web, new HealthCheckNodePort(port, 1))]);

        await Eventually.WithinLimitAsync(server.DisposeAsync().AsTask(), "the listeners to stop");

        Assert.Equal(SocketError.ConnectionRefused, await ConnectErrorAsync(port));
        Assert.Throws<ObjectDisposedException>(() => server.Apply([]));
    }

    private static ushort FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (ushort)((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private Task<HttpResponseMessage> GetAsync(ushort port, string host = "127.0.0.1") =>
        _http.GetAsync(new Uri($"http://{host}:{port}/"), TestContext.Current.CancellationToken);

    private async Task<(HttpStatusCode Status, int Count)> StatusAndCountAsync(ushort port, string host = "127.0.0.1")
    {
        using HttpResponseMessage response = await GetAsync(port, host);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (response.StatusCode, body.RootElement.GetProperty("localEndpoints").GetInt32());
    }

    private static async Task<SocketError> ConnectErrorAsync(ushort port)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), TestContext.Current.CancellationToken);
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }
}
