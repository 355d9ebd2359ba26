using System.Net;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Expressions;
using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Rules;

/// <summary>
/// The nf_tables encoding of what Kubernetes needs beyond marking: external and unmarked virtual IPs, unknown ports
/// rejected, source ranges, hairpin endpoints. Expressions are compared with what <c>nft --debug=netlink</c> prints for
/// the same text (quoted above each assertion).
/// </summary>
public sealed class NfTablesServiceRulesetItemsTests
{
    private static readonly Ruleset s_built = NfTablesServiceRuleset.Build(Samples.Everything, "ipvsd");

    private static IReadOnlyList<SetElement> Elements(string set) => s_built.Elements[s_built.Sets.Single(s => s.Name == set)];

    private static string[] Keys(string set) => [.. Elements(set).Select(e => Convert.ToHexStringLower(e.Key.Span))];

    [Fact]
    public void External_virtual_IPs_are_marked_from_every_source()
    {
        // ip daddr . meta l4proto . th dport @external-ips-v4 jump mark-for-masquerade
        Rule v4 = s_built.Rules.Single(r => r.Chain == "services" && r.Expressions.OfType<LookupExpression>().Single().Set == "external-ips-v4");
        Assert.Equal(
        [
            new MetaExpression(MetaKey.NfProto), CmpExpression.Equal(new byte[] { 2 }), PayloadExpression.Ipv4Destination(),
            new MetaExpression(MetaKey.L4Proto, Registers.Reg32(1)), PayloadExpression.TransportDestinationPort(Registers.Reg32(2)),
            new LookupExpression("external-ips-v4") { SetId = 4 }, ImmediateExpression.Of(Verdict.JumpTo("mark-for-masquerade")),
        ], v4.Expressions);
        Assert.Equal(["c612000a" + "06000000" + "00500000"], Keys("external-ips-v4"));
    }

    [Fact]
    public void Unmarked_virtual_IPs_are_in_no_marking_rule_but_are_services_to_the_unknown_port_chain()
    {
        Assert.Equal(["c612000b" + "11000000" + "00350000"], Keys("unmarked-ips-v4"));
        Assert.DoesNotContain(s_built.Rules.Where(r => r.Chain is "services" or "virtual-ip"),
            r => r.Expressions.OfType<LookupExpression>().Any(l => l.Set.StartsWith("unmarked", StringComparison.Ordinal)));
        Assert.Equal(["virtual-ips-v4", "virtual-ips-v6", "external-ips-v4", "external-ips-v6", "unmarked-ips-v4", "unmarked-ips-v6"],
            s_built.Rules.Where(r => r.Chain == "unknown-port" && r.Expressions[^1] == ImmediateExpression.Of(Verdict.Return))
                .Select(r => r.Expressions.OfType<LookupExpression>().Single().Set));
    }

    [Fact]
    public void New_connections_to_a_listed_address_go_to_the_unknown_port_chain_which_rejects_TCP_UDP_and_SCTP_only()
    {
        // ct state new ip daddr @reject-unknown-ports-v4 jump unknown-port
        Rule v4 = s_built.Rules.Where(r => r.Chain == "filter-input").ElementAt(1);
        Assert.Equal(
        [
            new CtExpression(CtKey.State), BitwiseExpression.And(new byte[] { 8, 0, 0, 0 }), CmpExpression.NotEqual(new byte[] { 0, 0, 0, 0 }),
            new MetaExpression(MetaKey.NfProto), CmpExpression.Equal(new byte[] { 2 }), PayloadExpression.Ipv4Destination(),
            new LookupExpression("reject-unknown-ports-v4") { SetId = 8 }, ImmediateExpression.Of(Verdict.JumpTo("unknown-port")),
        ], v4.Expressions);
        Assert.Equal(["c6120001", "c612000a"], Keys("reject-unknown-ports-v4"));
        // meta l4proto tcp reject with tcp reset; meta l4proto udp reject ([ reject type 2 code 1 ]: icmpx port-unreachable); the same for sctp.
        Rule[] rejects = [.. s_built.Rules.Where(r => r.Chain == "unknown-port" && r.Expressions[^1] is RejectExpression)];
        Assert.Equal([new byte[] { 6 }, [17], [132]], rejects.Select(r => ((CmpExpression)r.Expressions[1]).Data.ToArray()));
        Assert.Equal([new RejectExpression(RejectType.TcpReset, 0), new RejectExpression(RejectType.IcmpxUnreachable, 1), new RejectExpression(RejectType.IcmpxUnreachable, 1)],
            rejects.Select(r => r.Expressions[^1]));
        Assert.Equal(ImmediateExpression.Of(Verdict.JumpTo("firewall")), Assert.Single(s_built.Rules.First(r => r.Chain == "filter-input").Expressions));
    }

    [Fact]
    public void Source_ranges_are_intervals_of_target_and_source_and_drop_what_they_do_not_hold()
    {
        // ip daddr . meta l4proto . th dport @firewall-v4 ip daddr . meta l4proto . th dport . ip saddr != @firewall-allowed-v4 drop
        Rule v4 = s_built.Rules.First(r => r.Chain == "firewall");
        Assert.Equal(
        [
            new MetaExpression(MetaKey.NfProto), CmpExpression.Equal(new byte[] { 2 }), PayloadExpression.Ipv4Destination(),
            new MetaExpression(MetaKey.L4Proto, Registers.Reg32(1)), PayloadExpression.TransportDestinationPort(Registers.Reg32(2)),
            new LookupExpression("firewall-v4") { SetId = 10 },
            // no byteorder after meta l4proto, unlike nft: hton of one byte converts nothing, and Debian 12's kernels
            // refuse it (EOPNOTSUPP), which left no rule installed at all
            PayloadExpression.Ipv4Destination(), new MetaExpression(MetaKey.L4Proto, Registers.Reg32(1)),
            PayloadExpression.TransportDestinationPort(Registers.Reg32(2)), PayloadExpression.Ipv4Source(Registers.Reg32(3)),
            new LookupExpression("firewall-allowed-v4", Inverted: true) { SetId = 12 }, ImmediateExpression.Of(Verdict.Drop),
        ], v4.Expressions);
        // The IPv6 key is 40 bytes: ip6 saddr lands in reg 14 (32-bit register 6), as nft puts it.
        Rule v6 = s_built.Rules.Where(r => r.Chain == "firewall").Last();
        Assert.Contains(PayloadExpression.Ipv6Source(Registers.Reg32(6)), v6.Expressions);
        Assert.Contains(new MetaExpression(MetaKey.L4Proto, Registers.R2), v6.Expressions);

        NftSet allowed = s_built.Sets.Single(s => s.Name == "firewall-allowed-v4");
        Assert.Equal(SetFlags.Interval, allowed.Flags);
        Assert.Equal("ipv4_addr . inet_proto . inet_service . ipv4_addr", allowed.KeyType.Name);
        string target = "c612000a" + "06000000" + "00500000";
        // Sorted, nested ranges dropped; a /32 is a range of one address.
        Assert.Equal(
        [
            (target + "c6120500", target + "c61205ff"),
            (target + "c6120607", target + "c6120607"),
            (target + "c6121000", target + "c6121fff"),
        ], Elements("firewall-allowed-v4").Select(e => (Convert.ToHexStringLower(e.Key.Span), Convert.ToHexStringLower(e.KeyEnd!.Value.Span))));
        Assert.Equal([target], Keys("firewall-v4"));
    }

    [Fact]
    public void The_host_own_traffic_goes_through_the_firewall_chain_before_IPVS_sees_it()
    {
        Rule output = Assert.Single(s_built.Rules, r => r.Chain == "filter-output");
        Assert.Equal([ImmediateExpression.Of(Verdict.JumpTo("firewall"))], output.Expressions);
    }

    [Fact]
    public void Hairpin_endpoints_are_masqueraded_when_source_and_destination_are_the_endpoint()
    {
        // ip daddr . meta l4proto . th dport . ip saddr @hairpin-v4 masquerade
        Rule v4 = s_built.Rules.Where(r => r.Chain == "postrouting").ElementAt(1);
        Assert.Equal(
        [
            new MetaExpression(MetaKey.NfProto), CmpExpression.Equal(new byte[] { 2 }), PayloadExpression.Ipv4Destination(),
            new MetaExpression(MetaKey.L4Proto, Registers.Reg32(1)), PayloadExpression.TransportDestinationPort(Registers.Reg32(2)),
            PayloadExpression.Ipv4Source(Registers.Reg32(3)), new LookupExpression("hairpin-v4") { SetId = 14 }, new MasqExpression(),
        ], v4.Expressions);
        Assert.Equal(["c6120102" + "06000000" + "1f900000" + "c6120102"], Keys("hairpin-v4"));
    }

    [Fact]
    public void The_reader_skips_elements_of_a_shape_it_does_not_write()
    {
        NftSet hairpin = s_built.Sets.Single(s => s.Name == "hairpin-v4");
        NftSet allowed = s_built.Sets.Single(s => s.Name == "firewall-allowed-v4");
        byte[] target = NetworkKeys.VirtualIp(new(IPAddress.Parse("198.18.0.10"), ServiceProtocol.Tcp, 80));
        var elements = new Dictionary<NftSet, IReadOnlyList<SetElement>>(s_built.Elements, ReferenceEqualityComparer.Instance)
        {
            // Source and destination differ: not a hairpin endpoint.
            [hairpin] = [new SetElement(Convert.FromHexString("c6120102" + "06000000" + "1f900000" + "c6120103"))],
            // 198.18.5.1 to 198.18.5.6 is no CIDR.
            [allowed] = [new SetElement(target.Concat(new byte[] { 198, 18, 5, 1 }).ToArray()) { KeyEnd = target.Concat(new byte[] { 198, 18, 5, 6 }).ToArray() }],
        };

        ServiceRuleSet read = NfTablesServiceRulesetReader.Read(new Ruleset([], s_built.Chains, s_built.Rules, s_built.Sets, elements));

        Assert.DoesNotContain(read.HairpinEndpoints, h => !h.IsIPv6);
        Assert.Single(read.HairpinEndpoints);
        Assert.Empty(Assert.Single(read.SourceRanges, r => !r.Target.IsIPv6).AllowedSources);
    }
}
