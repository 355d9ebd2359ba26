using System.Net;
using ServiceProxy.Rules;

namespace Netlink.NativeTests.ServiceRules;

/// <summary>Rule sets the service rules tests apply; only the test ranges 198.18.0.0/15 and 2001:db8::/32.</summary>
internal static class SampleRuleSets
{
    public static ServiceRuleSet WithClusterCidrs { get; } = new()
    {
        MasqueradeMark = 0x4000,
        VirtualIps =
        [
            new VirtualIp(IPAddress.Parse("198.18.0.1"), ServiceProtocol.Tcp, 80),
            new VirtualIp(IPAddress.Parse("198.18.0.2"), ServiceProtocol.Udp, 53),
            new VirtualIp(IPAddress.Parse("2001:db8::1"), ServiceProtocol.Tcp, 443),
            new VirtualIp(IPAddress.Parse("2001:db8::2"), ServiceProtocol.Udp, 53),
        ],
        NodePorts = [new NodePort(ServiceProtocol.Tcp, 30080), new NodePort(ServiceProtocol.Udp, 30053)],
        ClusterCidrs = [IPNetwork.Parse("198.19.0.0/16"), IPNetwork.Parse("2001:db8:ff::/48")],
    };

    /// <summary><see cref="WithClusterCidrs"/> with 198.18.0.1 gone, 198.18.0.3 and a node port added, another mark, masquerade all.</summary>
    public static ServiceRuleSet Changed { get; } = new()
    {
        MasqueradeMark = 0x8000,
        VirtualIps =
        [
            new VirtualIp(IPAddress.Parse("198.18.0.2"), ServiceProtocol.Udp, 53),
            new VirtualIp(IPAddress.Parse("198.18.0.3"), ServiceProtocol.Tcp, 8080),
            new VirtualIp(IPAddress.Parse("2001:db8::1"), ServiceProtocol.Tcp, 443),
        ],
        NodePorts = [new NodePort(ServiceProtocol.Tcp, 30080), new NodePort(ServiceProtocol.Tcp, 30443)],
        MasqueradeAll = true,
    };

    /// <summary>Unaligned cluster CIDR prefixes (/20, /60), which nf_tables encodes with a mask.</summary>
    public static ServiceRuleSet UnalignedCidrs { get; } = new()
    {
        MasqueradeMark = 0x1,
        VirtualIps = [new VirtualIp(IPAddress.Parse("198.18.5.5"), ServiceProtocol.Tcp, 5000)],
        ClusterCidrs = [IPNetwork.Parse("198.19.16.0/20"), IPNetwork.Parse("2001:db8:1:10::/60")],
    };

    /// <summary>Node ports only: no virtual IP, no masquerading of virtual IP traffic.</summary>
    public static ServiceRuleSet NodePortsOnly { get; } = new()
    {
        NodePorts = [new NodePort(ServiceProtocol.Udp, 31000)],
    };

    public static TheoryData<string> Names => ["WithClusterCidrs", "Changed", "UnalignedCidrs", "NodePortsOnly"];

    public static ServiceRuleSet ByName(string name) => name switch
    {
        "WithClusterCidrs" => WithClusterCidrs,
        "Changed" => Changed,
        "UnalignedCidrs" => UnalignedCidrs,
        "NodePortsOnly" => NodePortsOnly,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
