using System.Net;
using System.Net.Sockets;
using Netlink.NativeTests.Infrastructure;
using ServiceProxy.Rules;

namespace Netlink.NativeTests.ServiceRules;

/// <summary>
/// Real TCP connections inside a fresh namespace, through either backend, on this machine's kernel (no IPVS here, so a
/// "virtual IP" is an address on a link and a local listener on 0.0.0.0 stands for both the service and the host
/// process that kubernetes #72236 was about): unknown ports on a virtual IP are refused, the service port is not;
/// a load balancer IP answers a source inside its ranges and no other, the host's own connections included.
/// </summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class ServiceRulesTrafficTests : IDisposable
{
    private const int ServicePort = 80, HostProcessPort = 2222;
    private static readonly IPAddress s_clusterIp = IPAddress.Parse("198.18.0.1"), s_loadBalancerIp = IPAddress.Parse("198.18.0.10");
    private static readonly IPAddress s_insideRange = IPAddress.Parse("198.18.5.7"), s_outsideRange = IPAddress.Parse("198.18.9.9");

    private static readonly ServiceRuleSet s_rules = new()
    {
        VirtualIps = [new VirtualIp(s_clusterIp, ServiceProtocol.Tcp, ServicePort)],
        // Unmarked (externalTrafficPolicy Local): a marked connection between two local addresses would be masqueraded
        // in postrouting before it comes back in through lo, which without IPVS taking it first changes its source.
        UnmarkedVirtualIps = [new VirtualIp(s_loadBalancerIp, ServiceProtocol.Tcp, ServicePort)],
        RejectUnknownPortsOn = [s_clusterIp, s_loadBalancerIp],
        SourceRanges = [new SourceRange(new VirtualIp(s_loadBalancerIp, ServiceProtocol.Tcp, ServicePort), [IPNetwork.Parse("198.18.5.0/24")])],
        HairpinEndpoints = [new VirtualIp(IPAddress.Parse("198.18.1.2"), ServiceProtocol.Tcp, 8080)],
    };

    private readonly TestNamespace _ns = TestNamespace.Create(routeTestRanges: false);
    private readonly List<Socket> _listeners = [];

    public ServiceRulesTrafficTests()
    {
        // The kernel has no dummy links here; an ifb link holds addresses the same way.
        _ns.IpBatch(["link add vip0 type ifb", "link set vip0 up", .. new[] { s_clusterIp, s_loadBalancerIp, s_insideRange, s_outsideRange }.Select(a => $"address add {a}/32 dev vip0")]);
        foreach (int port in new[] { ServicePort, HostProcessPort })
        {
            Socket listener = _ns.Namespace.RunInside(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            listener.Bind(new IPEndPoint(IPAddress.Any, port));
            listener.Listen(64);
            _listeners.Add(listener);
        }
    }

    public void Dispose()
    {
        _listeners.ForEach(l => l.Dispose());
        _ns.Dispose();
    }

    private enum Outcome
    {
        Connected,
        Refused,
        NoAnswer,
    }

    [Theory]
    [InlineData(ServiceRulesBackendKind.Nftables)]
    [InlineData(ServiceRulesBackendKind.Iptables)]
    public void A_port_that_is_no_service_is_refused_on_a_virtual_IP_and_the_service_port_is_not(ServiceRulesBackendKind kind)
    {
        using IServiceRulesBackend backend = ServiceRulesBackend.Create(kind, new ServiceRulesOptions { Namespace = _ns.Namespace });
        Assert.Equal(Outcome.Connected, Connect(s_insideRange, s_clusterIp, HostProcessPort)); // reachable before: what #72236 is about

        backend.Apply(s_rules);

        Assert.Equal(Outcome.Refused, Connect(s_insideRange, s_clusterIp, HostProcessPort));
        Assert.Equal(Outcome.Refused, Connect(null, s_loadBalancerIp, HostProcessPort));
        Assert.Equal(Outcome.Connected, Connect(s_insideRange, s_clusterIp, ServicePort));
        // Not a listed address: the host process stays reachable there.
        Assert.Equal(Outcome.Connected, Connect(s_insideRange, s_insideRange, HostProcessPort));

        backend.Remove();
        Assert.Equal(Outcome.Connected, Connect(s_insideRange, s_clusterIp, HostProcessPort));
    }

    [Theory]
    [InlineData(ServiceRulesBackendKind.Nftables)]
    [InlineData(ServiceRulesBackendKind.Iptables)]
    public void A_load_balancer_IP_answers_sources_inside_its_ranges_only_the_host_itself_included(ServiceRulesBackendKind kind)
    {
        using IServiceRulesBackend backend = ServiceRulesBackend.Create(kind, new ServiceRulesOptions { Namespace = _ns.Namespace });
        Assert.Equal(Outcome.Connected, Connect(s_outsideRange, s_loadBalancerIp, ServicePort));

        backend.Apply(s_rules);

        Assert.Equal(Outcome.Connected, Connect(s_insideRange, s_loadBalancerIp, ServicePort));
        Assert.Equal(Outcome.NoAnswer, Connect(s_outsideRange, s_loadBalancerIp, ServicePort));
        // Unbound, the host's connection leaves from the load balancer IP itself, which no range holds (kubernetes #119656).
        Assert.Equal(Outcome.NoAnswer, Connect(null, s_loadBalancerIp, ServicePort));
        // Only the load balancer IP and port are filtered.
        Assert.Equal(Outcome.Connected, Connect(s_outsideRange, s_clusterIp, ServicePort));

        backend.Apply(s_rules with { SourceRanges = [new SourceRange(s_rules.SourceRanges[0].Target, [IPNetwork.Parse("198.18.5.0/24"), IPNetwork.Parse("198.18.0.10/32")])] });
        Assert.Equal(Outcome.Connected, Connect(null, s_loadBalancerIp, ServicePort));
        Assert.Equal(Outcome.NoAnswer, Connect(s_outsideRange, s_loadBalancerIp, ServicePort));
    }

    /// <summary>A TCP connect from <paramref name="source"/> (null: the kernel's choice) inside the namespace, given a second to answer.</summary>
    private Outcome Connect(IPAddress? source, IPAddress destination, int port)
    {
        using Socket socket = _ns.Namespace.RunInside(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        if (source is not null)
        {
            socket.Bind(new IPEndPoint(source, 0));
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            socket.ConnectAsync(new IPEndPoint(destination, port), timeout.Token).AsTask().GetAwaiter().GetResult();
            return Outcome.Connected;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return Outcome.Refused;
        }
        catch (OperationCanceledException)
        {
            return Outcome.NoAnswer;
        }
    }
}
