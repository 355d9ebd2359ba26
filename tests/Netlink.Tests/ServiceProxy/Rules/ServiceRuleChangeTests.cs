using System.Net;
using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Rules;

/// <summary>The difference between an installed and a wanted rule set, list by list.</summary>
public sealed class ServiceRuleChangeTests
{
    private static VirtualIp Vip(string address, ServiceProtocol protocol, ushort port) => new(IPAddress.Parse(address), protocol, port);

    private static readonly VirtualIp s_newV4 = Vip("198.18.0.50", ServiceProtocol.Tcp, 8080);
    private static readonly VirtualIp s_newV6 = Vip("2001:db8::50", ServiceProtocol.Udp, 5353);

    [Fact]
    public void The_same_set_is_an_empty_change()
    {
        ServiceRuleChange change = ServiceRuleChange.Between(Samples.Everything, Samples.Everything);

        Assert.True(change.IsEmpty);
        Assert.False(change.SettingsChanged);
        Assert.Equal(0, change.ElementCount);
        Assert.Equal(Samples.Everything, change.From);
        Assert.Equal(Samples.Everything, change.To);
    }

    [Fact]
    public void Order_and_duplicates_are_no_change()
    {
        ServiceRuleSet shuffled = Samples.Everything with
        {
            VirtualIps = [.. Samples.Everything.VirtualIps.Reverse(), Samples.Everything.VirtualIps[0]],
            NodePorts = [.. Samples.Everything.NodePorts.Reverse(), .. Samples.Everything.NodePorts],
            RejectUnknownPortsOn = [.. Samples.Everything.RejectUnknownPortsOn.Reverse(), Samples.Everything.RejectUnknownPortsOn[1]],
            HairpinEndpoints = [.. Samples.Everything.HairpinEndpoints, .. Samples.Everything.HairpinEndpoints],
            SourceRanges = [.. Samples.Everything.SourceRanges.Reverse()],
            ClusterCidrs = [.. Samples.Everything.ClusterCidrs.Reverse()],
        };

        Assert.True(ServiceRuleChange.Between(Samples.Everything, shuffled).IsEmpty);
        Assert.True(ServiceRuleChange.Between(shuffled, Samples.Everything).IsEmpty);
    }

    public static TheoryData<string> Lists => ["virtual IPs", "external", "unmarked", "hairpin"];

    [Theory]
    [MemberData(nameof(Lists))]
    public void A_virtual_IP_list_gains_and_loses_exactly_what_differs(string list)
    {
        static ServiceRuleSet With(string list, IReadOnlyList<VirtualIp> vips) => list switch
        {
            "virtual IPs" => Samples.Everything with { VirtualIps = vips },
            "external" => Samples.Everything with { ExternalVirtualIps = vips },
            "unmarked" => Samples.Everything with { UnmarkedVirtualIps = vips },
            "hairpin" => Samples.Everything with { HairpinEndpoints = vips },
            _ => throw new ArgumentOutOfRangeException(nameof(list)),
        };
        static ElementChange<VirtualIp> Of(string list, ServiceRuleChange c) => list switch
        {
            "virtual IPs" => c.VirtualIps,
            "external" => c.ExternalVirtualIps,
            "unmarked" => c.UnmarkedVirtualIps,
            _ => c.HairpinEndpoints,
        };
        IReadOnlyList<VirtualIp> before = list switch
        {
            "virtual IPs" => Samples.Everything.VirtualIps,
            "external" => Samples.Everything.ExternalVirtualIps,
            "unmarked" => Samples.Everything.UnmarkedVirtualIps,
            _ => Samples.Everything.HairpinEndpoints,
        };
        // One of each family added, the first IPv4 one removed, the rest kept.
        VirtualIp removed = before.First(v => !v.IsIPv6);
        ServiceRuleSet wanted = With(list, [s_newV6, .. before.Where(v => v != removed), s_newV4]);

        ServiceRuleChange change = ServiceRuleChange.Between(Samples.Everything, wanted);

        Assert.Equal([s_newV4, s_newV6], Of(list, change).Added);
        Assert.Equal([removed], Of(list, change).Removed);
        Assert.Equal(3, change.ElementCount);
        Assert.False(change.SettingsChanged);
        Assert.False(change.IsEmpty);
        Assert.Equal(wanted, change.To);
        // Every other list is untouched.
        Assert.Equal(1, new[] { change.VirtualIps, change.ExternalVirtualIps, change.UnmarkedVirtualIps, change.HairpinEndpoints }.Count(c => !c.IsEmpty));
        Assert.True(change.NodePorts.IsEmpty && change.RejectUnknownPortsOn.IsEmpty && change.FirewallTargets.IsEmpty && change.AllowedSources.IsEmpty);
    }

    [Fact]
    public void Node_ports_and_reject_addresses_gain_and_lose_exactly_what_differs()
    {
        ServiceRuleSet wanted = Samples.Everything with
        {
            NodePorts = [new(ServiceProtocol.Sctp, 30100), Samples.Everything.NodePorts[1]],
            RejectUnknownPortsOn = [.. Samples.Everything.RejectUnknownPortsOn.Skip(1), IPAddress.Parse("2001:db8::99")],
        };

        ServiceRuleChange change = ServiceRuleChange.Between(Samples.Everything, wanted);

        Assert.Equal([new NodePort(ServiceProtocol.Sctp, 30100)], change.NodePorts.Added);
        Assert.Equal([Samples.Everything.NodePorts[0]], change.NodePorts.Removed);
        Assert.Equal([IPAddress.Parse("2001:db8::99")], change.RejectUnknownPortsOn.Added);
        Assert.Equal([IPAddress.Parse("198.18.0.1")], change.RejectUnknownPortsOn.Removed);
        Assert.Equal(4, change.ElementCount);
        Assert.True(change.VirtualIps.IsEmpty);
    }

    [Fact]
    public void The_lists_come_in_rule_order_IPv4_first()
    {
        ServiceRuleSet wanted = new()
        {
            VirtualIps = [Vip("2001:db8::2", ServiceProtocol.Tcp, 80), Vip("198.18.0.9", ServiceProtocol.Tcp, 80), Vip("198.18.0.3", ServiceProtocol.Udp, 53)],
        };

        ServiceRuleChange change = ServiceRuleChange.Between(new ServiceRuleSet(), wanted);

        Assert.Equal([Vip("198.18.0.3", ServiceProtocol.Udp, 53), Vip("198.18.0.9", ServiceProtocol.Tcp, 80), Vip("2001:db8::2", ServiceProtocol.Tcp, 80)],
            change.VirtualIps.Added);
        Assert.Equal([Vip("198.18.0.3", ServiceProtocol.Udp, 53), Vip("198.18.0.9", ServiceProtocol.Tcp, 80), Vip("2001:db8::2", ServiceProtocol.Tcp, 80)],
            ServiceRuleChange.Between(wanted, new ServiceRuleSet()).VirtualIps.Removed);
    }

    [Fact]
    public void A_virtual_IP_moving_between_lists_is_added_to_one_and_removed_from_the_other()
    {
        VirtualIp moving = Samples.Everything.ExternalVirtualIps[0];
        ServiceRuleSet wanted = Samples.Everything with
        {
            ExternalVirtualIps = [.. Samples.Everything.ExternalVirtualIps.Skip(1)],
            UnmarkedVirtualIps = [.. Samples.Everything.UnmarkedVirtualIps, moving],
        };

        ServiceRuleChange change = ServiceRuleChange.Between(Samples.Everything, wanted);

        Assert.Equal([moving], change.ExternalVirtualIps.Removed);
        Assert.Equal([moving], change.UnmarkedVirtualIps.Added);
        Assert.Empty(change.ExternalVirtualIps.Added);
        Assert.Empty(change.UnmarkedVirtualIps.Removed);
        Assert.Equal(2, change.ElementCount);
    }

    [Fact]
    public void A_new_source_range_adds_its_target_and_each_allowed_range()
    {
        VirtualIp target = Vip("198.18.0.60", ServiceProtocol.Tcp, 443);
        ServiceRuleSet wanted = Samples.Everything with
        {
            SourceRanges = [.. Samples.Everything.SourceRanges, new(target, [IPNetwork.Parse("198.18.64.0/18"), IPNetwork.Parse("198.18.9.0/24")])],
        };

        ServiceRuleChange change = ServiceRuleChange.Between(Samples.Everything, wanted);

        Assert.Equal([target], change.FirewallTargets.Added);
        Assert.Empty(change.FirewallTargets.Removed);
        Assert.Equal([new AllowedSource(target, IPNetwork.Parse("198.18.9.0/24")), new AllowedSource(target, IPNetwork.Parse("198.18.64.0/18"))],
            change.AllowedSources.Added);
        Assert.Empty(change.AllowedSources.Removed);
        Assert.Equal(3, change.ElementCount);

        ServiceRuleChange back = ServiceRuleChange.Between(wanted, Samples.Everything);

        Assert.Equal([target], back.FirewallTargets.Removed);
        Assert.Equal(2, back.AllowedSources.Removed.Count);
        Assert.Empty(back.AllowedSources.Added);
    }

    [Fact]
    public void A_target_no_source_may_reach_is_a_firewall_target_without_allowed_sources()
    {
        VirtualIp target = Vip("2001:db8::60", ServiceProtocol.Udp, 53);

        ServiceRuleChange change = ServiceRuleChange.Between(new ServiceRuleSet(), new ServiceRuleSet { SourceRanges = [new(target, [])] });

        Assert.Equal([target], change.FirewallTargets.Added);
        Assert.True(change.AllowedSources.IsEmpty);
        Assert.Equal(1, change.ElementCount);
    }

    [Fact]
    public void A_range_added_to_a_target_changes_only_that_range()
    {
        SourceRange first = Samples.Everything.SourceRanges[0];
        ServiceRuleSet wanted = Samples.Everything with
        {
            SourceRanges = [first with { AllowedSources = [.. first.AllowedSources, IPNetwork.Parse("198.18.200.0/24")] }, Samples.Everything.SourceRanges[1]],
        };

        ServiceRuleChange change = ServiceRuleChange.Between(Samples.Everything, wanted);

        Assert.True(change.FirewallTargets.IsEmpty);
        Assert.Equal([new AllowedSource(first.Target, IPNetwork.Parse("198.18.200.0/24"))], change.AllowedSources.Added);
        Assert.Empty(change.AllowedSources.Removed);
    }

    [Fact]
    public void A_range_widened_replaces_the_narrower_ranges_it_covers()
    {
        // 198.18.5.0/24 and 198.18.6.7/32 both lie in 198.18.0.0/21; 198.18.16.0/20 does not.
        SourceRange first = Samples.Everything.SourceRanges[0];
        ServiceRuleSet wanted = Samples.Everything with
        {
            SourceRanges = [first with { AllowedSources = [.. first.AllowedSources, IPNetwork.Parse("198.18.0.0/21")] }, Samples.Everything.SourceRanges[1]],
        };

        ServiceRuleChange change = ServiceRuleChange.Between(Samples.Everything, wanted);

        Assert.Equal([new AllowedSource(first.Target, IPNetwork.Parse("198.18.0.0/21"))], change.AllowedSources.Added);
        Assert.Equal([new AllowedSource(first.Target, IPNetwork.Parse("198.18.5.0/24")), new AllowedSource(first.Target, IPNetwork.Parse("198.18.6.7/32"))],
            change.AllowedSources.Removed);
        Assert.True(change.FirewallTargets.IsEmpty);
    }

    [Fact]
    public void A_range_inside_a_wider_one_of_the_same_target_is_no_change()
    {
        SourceRange first = Samples.Everything.SourceRanges[0];
        ServiceRuleSet wanted = Samples.Everything with
        {
            // Inside 198.18.16.0/20, and given again as a second entry for the same target.
            SourceRanges = [.. Samples.Everything.SourceRanges, new(first.Target, [IPNetwork.Parse("198.18.17.0/24")])],
        };

        ServiceRuleChange change = ServiceRuleChange.Between(Samples.Everything, wanted);

        Assert.True(change.IsEmpty);
    }

    public static TheoryData<string> Settings => ["mark", "masquerade all", "cluster CIDR", "no cluster CIDR"];

    [Theory]
    [MemberData(nameof(Settings))]
    public void The_mark_masquerade_all_and_cluster_CIDRs_are_settings(string setting)
    {
        ServiceRuleSet wanted = setting switch
        {
            "mark" => Samples.Everything with { MasqueradeMark = 0x8000 },
            "masquerade all" => Samples.Everything with { ClusterCidrs = [], MasqueradeAll = true },
            "cluster CIDR" => Samples.Everything with { ClusterCidrs = [IPNetwork.Parse("198.19.0.0/17"), Samples.Everything.ClusterCidrs[1]] },
            "no cluster CIDR" => Samples.Everything with { ClusterCidrs = [Samples.Everything.ClusterCidrs[1]] },
            _ => throw new ArgumentOutOfRangeException(nameof(setting)),
        };

        ServiceRuleChange change = ServiceRuleChange.Between(Samples.Everything, wanted);

        Assert.True(change.SettingsChanged);
        Assert.False(change.IsEmpty);
        Assert.Equal(0, change.ElementCount);
        Assert.Equal(wanted, change.To);
        Assert.StartsWith("settings and 0 element(s)", change.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void From_and_to_are_normalized()
    {
        ServiceRuleSet unsorted = Samples.Everything with { VirtualIps = [.. Samples.Everything.VirtualIps.Reverse()] };

        ServiceRuleChange change = ServiceRuleChange.Between(unsorted, unsorted);

        Assert.Equal(Samples.Everything.Normalize().VirtualIps, change.From.VirtualIps);
        Assert.Equal(Samples.Everything.Normalize().VirtualIps, change.To.VirtualIps);
    }

    [Fact]
    public void The_text_counts_the_elements_by_list()
    {
        ServiceRuleSet wanted = Samples.Everything with
        {
            VirtualIps = [.. Samples.Everything.VirtualIps, s_newV4],
            NodePorts = [],
            HairpinEndpoints = [],
        };

        Assert.Equal("5 element(s): +1/-0 virtual IPs, +0/-2 node ports, and 2 more", ServiceRuleChange.Between(Samples.Everything, wanted).ToString());
    }

    [Fact]
    public void A_wanted_set_that_cannot_be_installed_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ServiceRuleChange.Between(Samples.Everything, Samples.Everything with { MasqueradeMark = 0 }));
        Assert.Throws<ArgumentException>(() => ServiceRuleChange.Between(Samples.Everything,
            Samples.Everything with { ExternalVirtualIps = [.. Samples.Everything.ExternalVirtualIps, Samples.Everything.VirtualIps[0]] }));
        Assert.Throws<ArgumentNullException>(() => ServiceRuleChange.Between(null!, Samples.Everything));
        Assert.Throws<ArgumentNullException>(() => ServiceRuleChange.Between(Samples.Everything, null!));
    }
}
