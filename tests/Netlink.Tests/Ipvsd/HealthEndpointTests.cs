using System.Net;
using Ipvsd.Observability;

namespace Netlink.Tests.Ipvsd;

/// <summary>/healthz's listening prefix and kube-proxy's freshness rule.</summary>
public sealed class HealthEndpointTests
{
    [Theory]
    [InlineData("0.0.0.0", "+")] // HttpListener refuses 0.0.0.0 as a host: a DaemonSet's probe needs every address
    [InlineData("::", "+")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::1", "[::1]")]
    public void Host_IsWhatHttpListenerTakes(string address, string host) =>
        Assert.Equal(host, HealthEndpoint.Host(new IPEndPoint(IPAddress.Parse(address), 10256)));

    [Fact]
    public void Fresh_WithinTwiceTheSyncPeriod()
    {
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        Assert.True(HealthEndpoint.IsFresh(now.AddSeconds(-60), TimeSpan.FromSeconds(30), now));
        Assert.False(HealthEndpoint.IsFresh(now.AddSeconds(-61), TimeSpan.FromSeconds(30), now));
    }

    [Fact]
    public async Task AnyAddress_Listens()
    {
        int port = FreePort();
        using var endpoint = new HealthEndpoint(new IPEndPoint(IPAddress.Any, port), TimeSpan.FromSeconds(30), () => DateTimeOffset.UtcNow, TimeProvider.System);
        endpoint.Start();
        using var client = new HttpClient();
        using HttpResponseMessage response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
