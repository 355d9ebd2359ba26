using System.Net;
using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Rules;

public sealed class ServiceRuleSetTests
{
    [Fact]
    public void Sets_with_the_same_rules_in_another_order_or_repeated_are_equal()
    {
        var a = new ServiceRuleSet
        {
            VirtualIps = [new(IPAddress.Parse("198.18.0.1"), ServiceProtocol.Tcp, 80), new(IPAddress.Parse("2001:db8::1"), ServiceProtocol.Udp, 53)],
            NodePorts = [new(ServiceProtocol.Tcp, 30080)],
        };
        var b = a with
        {
            VirtualIps = [new(IPAddress.Parse("2001:db8::1"), ServiceProtocol.Udp, 53), new(IPAddress.Parse("198.18.0.1"), ServiceProtocol.Tcp, 80), new(IPAddress.Parse("198.18.0.1"), ServiceProtocol.Tcp, 80)],
        };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { MasqueradeMark = 0x8000 });
        Assert.NotEqual(a, b with { NodePorts = [new(ServiceProtocol.Udp, 30080)] });
        Assert.NotEqual(a, b with { VirtualIps = [new(IPAddress.Parse("198.18.0.1"), ServiceProtocol.Tcp, 81)] });
    }

    [Fact]
    public void Normalize_drops_duplicates_and_sorts_IPv4_first_then_by_address_protocol_and_port()
    {
        var set = new ServiceRuleSet
        {
            VirtualIps =
            [
                new(IPAddress.Parse("2001:db8::1"), ServiceProtocol.Tcp, 80),
                new(IPAddress.Parse("198.18.0.10"), ServiceProtocol.Tcp, 80),
                new(IPAddress.Parse("198.18.0.9"), ServiceProtocol.Udp, 53),
                new(IPAddress.Parse("198.18.0.9"), ServiceProtocol.Tcp, 53),
                new(IPAddress.Parse("198.18.0.10"), ServiceProtocol.Tcp, 80),
            ],
            NodePorts = [new(ServiceProtocol.Udp, 1), new(ServiceProtocol.Tcp, 2), new(ServiceProtocol.Tcp, 1)],
        };

        ServiceRuleSet n = set.Normalize();

        Assert.Equal(["tcp 198.18.0.9:53", "udp 198.18.0.9:53", "tcp 198.18.0.10:80", "tcp [2001:db8::1]:80"], n.VirtualIps.Select(v => v.ToString()));
        Assert.Equal([new(ServiceProtocol.Tcp, 1), new(ServiceProtocol.Tcp, 2), new NodePort(ServiceProtocol.Udp, 1)], n.NodePorts);
    }

    [Fact]
    public void ToString_lists_the_rules()
    {
        var set = new ServiceRuleSet
        {
            VirtualIps = [new(IPAddress.Parse("198.18.0.1"), ServiceProtocol.Tcp, 80)],
            NodePorts = [new(ServiceProtocol.Udp, 30053)],
            ClusterCidrs = [IPNetwork.Parse("198.19.0.0/16")],
        };

        Assert.Equal("mark 0x4000, masquerade from outside 198.19.0.0/16; virtual IPs: [tcp 198.18.0.1:80]; node ports: [udp 30053]", set.ToString());
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "mark 0", "the masquerade mark is 0" },
        { "port 0", "has port 0" },
        { "node port 0", "a node port is 0" },
        { "protocol", "is not TCP, UDP or SCTP" },
        { "all and cidr", "set one or the other" },
        { "two cidrs", "more than one cluster CIDR for IPv4" },
        { "cidr /0", "covers every address" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_says_what_to_change(string what, string message)
    {
        var valid = new ServiceRuleSet { VirtualIps = [new(IPAddress.Parse("198.18.0.1"), ServiceProtocol.Tcp, 80)] };
        ServiceRuleSet invalid = what switch
        {
            "mark 0" => valid with { MasqueradeMark = 0 },
            "port 0" => valid with { VirtualIps = [new(IPAddress.Parse("198.18.0.1"), ServiceProtocol.Tcp, 0)] },
            "node port 0" => valid with { NodePorts = [new(ServiceProtocol.Tcp, 0)] },
            "protocol" => valid with { NodePorts = [new((ServiceProtocol)1, 80)] },
            "all and cidr" => valid with { MasqueradeAll = true, ClusterCidrs = [IPNetwork.Parse("198.19.0.0/16")] },
            "two cidrs" => valid with { ClusterCidrs = [IPNetwork.Parse("198.19.0.0/16"), IPNetwork.Parse("198.18.0.0/16")] },
            "cidr /0" => valid with { ClusterCidrs = [IPNetwork.Parse("0.0.0.0/0")] },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        valid.Validate();
        ArgumentException e = Assert.Throws<ArgumentException>(invalid.Validate);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_cluster_CIDR_per_family_is_valid()
    {
        var set = new ServiceRuleSet { ClusterCidrs = [IPNetwork.Parse("198.19.0.0/16"), IPNetwork.Parse("2001:db8:ff::/48")] };

        set.Validate();
        Assert.Equal(IPNetwork.Parse("198.19.0.0/16"), set.ClusterCidrV4);
        Assert.Equal(IPNetwork.Parse("2001:db8:ff::/48"), set.ClusterCidrV6);
    }
}
