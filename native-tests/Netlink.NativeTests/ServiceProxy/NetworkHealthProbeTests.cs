using System.Net;
using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;
using ServiceProxy.Health;

namespace Netlink.NativeTests.ServiceProxy;

/// <summary>
/// The real health probe against real sockets, in a fresh namespace: the servers' addresses are on its lo, the rest
/// of the test ranges routed to a link where packets go unanswered. Timeouts are short (0.3 s) and only the cases about
/// timing out wait for them.
/// </summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class NetworkHealthProbeTests : IDisposable
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

    private static readonly IPAddress Server4 = IPAddress.Parse("198.18.5.1");
    private static readonly IPAddress Server6 = IPAddress.Parse("2001:db8:5::1");
    private static readonly IPAddress Nobody = IPAddress.Parse("198.18.9.9");
    private static readonly VirtualServiceKey Web = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80);
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);

    private readonly TestNamespace _ns = TestNamespace.Create();
    private readonly NetworkHealthProbe _probe;

    public NetworkHealthProbeTests()
    {
        _ns.Exec("ip", "addr", "add", "198.18.5.1/32", "dev", "lo");
        _ns.Exec("ip", "-6", "addr", "add", "2001:db8:5::1/128", "dev", "lo", "nodad");
        _probe = new NetworkHealthProbe(_ns.Namespace);
    }

    public void Dispose() => _ns.Dispose();

    private static IPAddress Address(int family) => family == 6 ? Server6 : Server4;

    private static HealthCheck Tcp() => new() { Type = HealthCheckType.Tcp, Timeout = ShortTimeout };

    private static HealthCheck Http(int status = 200) => new() { Type = HealthCheckType.Http, Path = "/healthz", Status = status, Timeout = ShortTimeout };

    private Task<HealthProbeResult> Probe(IPAddress address, ushort port, HealthCheck check) =>
        _probe.ProbeAsync(new HealthTarget(Web, address, port, check), TestContext.Current.CancellationToken);

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public async Task Tcp_Passes_WhenTheServerListens(int family)
    {
        using var server = ProbeServer.Listen(_ns.Namespace, Address(family));

        HealthProbeResult result = await Probe(Address(family), server.Port, Tcp());

        Assert.Equal(new HealthProbeResult(true, "connected to " + EndpointText.Format(Address(family), server.Port)), result);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public async Task Tcp_FailsRefused_WhenNothingListens(int family)
    {
        ushort port;
        using (var closed = ProbeServer.Listen(_ns.Namespace, Address(family)))
        {
            port = closed.Port;
        }

        HealthProbeResult result = await Probe(Address(family), port, Tcp());

        Assert.Equal(new HealthProbeResult(false, $"connect {EndpointText.Format(Address(family), port)}: connection refused"), result);
    }

    [Fact]
    public async Task Tcp_FailsTimedOut_WhenNothingAnswers()
    {
        HealthProbeResult result = await Probe(Nobody, 80, Tcp());

        Assert.Equal(new HealthProbeResult(false, "connect 198.18.9.9:80: timed out after 0.3s"), result);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public async Task Http_Passes_OnTheExpectedStatus_AskingOnceWithHostAndConnectionClose(int family)
    {
        using var server = ProbeServer.Listen(_ns.Namespace, Address(family));
        server.AnswerWith(Ok);
        string host = EndpointText.Format(Address(family), server.Port);

        HealthProbeResult result = await Probe(Address(family), server.Port, Http());

        Assert.Equal(new HealthProbeResult(true, $"GET http://{host}/healthz: HTTP 200"), result);
        string request = Assert.Single(server.Requests);
        Assert.StartsWith("GET /healthz HTTP/1.1\r\n", request, StringComparison.Ordinal);
        Assert.Contains($"\r\nHost: {host}\r\n", request, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_ProbesTheChecksPort_NotTheRealServers()
    {
        using var server = ProbeServer.Listen(_ns.Namespace, Server4);
        server.AnswerWith(Ok);

        HealthProbeResult result = await Probe(Server4, 80, Http() with { Port = server.Port });

        Assert.True(result.Healthy, result.Detail);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Http_Fails_OnAnotherStatus()
    {
        using var server = ProbeServer.Listen(_ns.Namespace, Server4);
        server.AnswerWith("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");

        HealthProbeResult result = await Probe(Server4, server.Port, Http());

        Assert.Equal(new HealthProbeResult(false, $"GET http://198.18.5.1:{server.Port}/healthz: HTTP 503, want 200"), result);
    }

    [Fact]
    public async Task Http_Passes_OnAnExpectedStatusOtherThan200()
    {
        using var server = ProbeServer.Listen(_ns.Namespace, Server4);
        server.AnswerWith("HTTP/1.0 204 No Content\r\n\r\n");

        HealthProbeResult result = await Probe(Server4, server.Port, Http(status: 204));

        Assert.True(result.Healthy, result.Detail);
    }

    [Fact]
    public async Task Http_FailsTimedOut_OnAServerThatAcceptsButNeverAnswers()
    {
        // Listening without answering: the kernel completes the handshake, so the request goes out and waits.
        using var server = ProbeServer.Listen(_ns.Namespace, Server4);

        HealthProbeResult result = await Probe(Server4, server.Port, Http());

        Assert.Equal(new HealthProbeResult(false, $"GET http://198.18.5.1:{server.Port}/healthz: timed out after 0.3s"), result);
    }

    [Fact]
    public async Task Http_Fails_OnAnAnswerThatIsNotHttp()
    {
        using var server = ProbeServer.Listen(_ns.Namespace, Server4);
        server.AnswerWith("SSH-2.0-OpenSSH_9.2\r\n");

        HealthProbeResult result = await Probe(Server4, server.Port, Http());

        Assert.Equal(new HealthProbeResult(false, $"GET http://198.18.5.1:{server.Port}/healthz: not an HTTP answer: 'SSH-2.0-OpenSSH_9.2'"), result);
    }

    [Fact]
    public async Task Http_Fails_WhenTheServerClosesWithoutAnswering()
    {
        using var server = ProbeServer.Listen(_ns.Namespace, Server4);
        server.AnswerWith("");

        HealthProbeResult result = await Probe(Server4, server.Port, Http());

        Assert.Equal(new HealthProbeResult(false, $"GET http://198.18.5.1:{server.Port}/healthz: connection closed without an answer"), result);
    }
}
