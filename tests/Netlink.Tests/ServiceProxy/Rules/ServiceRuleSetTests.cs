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
    public void Source_ranges_of_one_target_are_merged_and_nested_ranges_dropped_and_sets_compare_them_so()
    {
        var target = new VirtualIp(IPAddress.Parse("198.18.0.10"), ServiceProtocol.Tcp, 80);
        var split = new ServiceRuleSet
        {
            SourceRanges =
            [
                new(target, [IPNetwork.Parse("198.18.6.0/24"), IPNetwork.Parse("198.18.5.7/32")]),
                new(target, [IPNetwork.Parse("198.18.5.0/24")]),
            ],
        };
        var whole = new ServiceRuleSet { SourceRanges = [new(target, [IPNetwork.Parse("198.18.5.0/24"), IPNetwork.Parse("198.18.6.0/24")])] };

        Assert.Equal([new SourceRange(target, [IPNetwork.Parse("198.18.5.0/24"), IPNetwork.Parse("198.18.6.0/24")])], split.Normalize().SourceRanges);
        Assert.Equal(whole, split);
        Assert.NotEqual(whole, whole with { SourceRanges = [new(target, [IPNetwork.Parse("198.18.5.0/24")])] });
    }

    [Fact]
    public void The_new_lists_compare_as_sets_and_are_empty_by_default()
    {
        var set = new ServiceRuleSet();
        Assert.Empty(set.ExternalVirtualIps);
        Assert.Empty(set.UnmarkedVirtualIps);
        Assert.Empty(set.RejectUnknownPortsOn);
        Assert.Empty(set.SourceRanges);
        Assert.Empty(set.HairpinEndpoints);

        Assert.Equal(Samples.Everything, Samples.Everything with { RejectUnknownPortsOn = [.. Samples.Everything.RejectUnknownPortsOn.Reverse(), IPAddress.Parse("198.18.0.1")] });
        Assert.NotEqual(Samples.Everything, Samples.Everything with { HairpinEndpoints = [] });
        Assert.NotEqual(Samples.Everything, Samples.Everything with { UnmarkedVirtualIps = [] });
        Assert.NotEqual(Samples.Everything, Samples.Everything with { ExternalVirtualIps = [] });
        Samples.Everything.Validate();
    }

    [Fact]
    public void ToString_names_only_the_new_lists_in_use()
    {
        var set = new ServiceRuleSet
        {
            UnmarkedVirtualIps = [new(IPAddress.Parse("198.18.0.11"), ServiceProtocol.Udp, 53)],
            SourceRanges = [new(new(IPAddress.Parse("198.18.0.10"), ServiceProtocol.Tcp, 80), [IPNetwork.Parse("198.18.5.0/24")])],
        };

        Assert.Equal("mark 0x4000, masquerade node ports only; virtual IPs: []; node ports: []; unmarked virtual IPs: [udp 198.18.0.11:53]; "
            + "source ranges: [tcp 198.18.0.10:80 from [198.18.5.0/24]]", set.ToString());
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
        { "external port 0", "external virtual IP 198.18.0.10 has port 0" },
        { "unmarked protocol", "is not TCP, UDP or SCTP" },
        { "cluster and external", "is in both VirtualIps and ExternalVirtualIps" },
        { "external and unmarked", "is in both ExternalVirtualIps and UnmarkedVirtualIps" },
        { "reject on null", "to reject unknown ports on is not an IPv4 or IPv6 address" },
        { "range of other family", "give IPv4 ranges for it" },
        { "range target port 0", "source range target 198.18.0.10 has port 0" },
        { "hairpin port 0", "hairpin endpoint 198.18.1.2 has port 0" },
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
            "external port 0" => valid with { ExternalVirtualIps = [new(IPAddress.Parse("198.18.0.10"), ServiceProtocol.Tcp, 0)] },
            "unmarked protocol" => valid with { UnmarkedVirtualIps = [new(IPAddress.Parse("198.18.0.11"), (ServiceProtocol)47, 80)] },
            "cluster and external" => valid with { ExternalVirtualIps = [new(IPAddress.Parse("198.18.0.1"), ServiceProtocol.Tcp, 80)] },
            "external and unmarked" => valid with
            {
                ExternalVirtualIps = [new(IPAddress.Parse("198.18.0.10"), ServiceProtocol.Tcp, 80)],
                UnmarkedVirtualIps = [new(IPAddress.Parse("198.18.0.10"), ServiceProtocol.Tcp, 80)],
            },
            "reject on null" => valid with { RejectUnknownPortsOn = [null!] },
            "range of other family" => valid with { SourceRanges = [new(new(IPAddress.Parse("198.18.0.10"), ServiceProtocol.Tcp, 80), [IPNetwork.Parse("2001:db8::/32")])] },
            "range target port 0" => valid with { SourceRanges = [new(new(IPAddress.Parse("198.18.0.10"), ServiceProtocol.Tcp, 0), [IPNetwork.Parse("198.18.5.0/24")])] },
            "hairpin port 0" => valid with { HairpinEndpoints = [new(IPAddress.Parse("198.18.1.2"), ServiceProtocol.Tcp, 0)] },
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
