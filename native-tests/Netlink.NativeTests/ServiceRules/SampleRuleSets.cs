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

    /// <summary>
    /// Every kind of rule, IPv4 and IPv6: cluster, external and unmarked virtual IPs, unknown ports rejected on the
    /// addresses of all three, source ranges on the external ones (nested and unaligned ranges included), hairpin endpoints.
    /// </summary>
    public static ServiceRuleSet Everything { get; } = WithClusterCidrs with
    {
        ExternalVirtualIps =
        [
            new VirtualIp(IPAddress.Parse("198.18.0.10"), ServiceProtocol.Tcp, 80),
            new VirtualIp(IPAddress.Parse("2001:db8::10"), ServiceProtocol.Tcp, 80),
        ],
        UnmarkedVirtualIps =
        [
            new VirtualIp(IPAddress.Parse("198.18.0.11"), ServiceProtocol.Tcp, 8080),
            new VirtualIp(IPAddress.Parse("2001:db8::11"), ServiceProtocol.Udp, 53),
        ],
        RejectUnknownPortsOn = [.. new[] { "198.18.0.1", "198.18.0.2", "198.18.0.10", "198.18.0.11", "2001:db8::1", "2001:db8::10", "2001:db8::11" }.Select(IPAddress.Parse)],
        SourceRanges =
        [
            new SourceRange(new VirtualIp(IPAddress.Parse("198.18.0.10"), ServiceProtocol.Tcp, 80),
                [IPNetwork.Parse("198.18.5.0/24"), IPNetwork.Parse("198.18.6.7/32"), IPNetwork.Parse("198.18.16.0/20")]),
            new SourceRange(new VirtualIp(IPAddress.Parse("2001:db8::10"), ServiceProtocol.Tcp, 80), [IPNetwork.Parse("2001:db8:5::/48")]),
        ],
        HairpinEndpoints =
        [
            new VirtualIp(IPAddress.Parse("198.18.1.2"), ServiceProtocol.Tcp, 8080),
            new VirtualIp(IPAddress.Parse("2001:db8:1::2"), ServiceProtocol.Tcp, 8080),
        ],
    };

    public static TheoryData<string> Names => ["WithClusterCidrs", "Changed", "UnalignedCidrs", "NodePortsOnly", "Everything"];

    public static ServiceRuleSet ByName(string name) => name switch
    {
        "WithClusterCidrs" => WithClusterCidrs,
        "Changed" => Changed,
        "UnalignedCidrs" => UnalignedCidrs,
        "NodePortsOnly" => NodePortsOnly,
        "Everything" => Everything,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
