using System.Net;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Expressions;
using static ServiceProxy.Rules.NfTablesServiceExpressions;

namespace ServiceProxy.Rules;

/// <summary>
/// The nf_tables shape of a <see cref="ServiceRuleSet"/>: one <c>inet</c> table, so one ruleset serves IPv4 and IPv6,
/// encoded expression for expression as <c>nft</c> encodes the same text, so <c>nft list</c> prints it as written here
/// (every <c>-v4</c> set has its <c>-v6</c> twin of <c>ipv6_addr</c> keys, matched by an <c>ip6</c> rule beside the
/// <c>ip</c> one; both are left out below):
/// <code>
/// table inet ipvsd {
///   set virtual-ips-v4 { type ipv4_addr . inet_proto . inet_service; }     # VirtualIps (cluster IPs)
///   set node-ports { type inet_proto . inet_service; }
///   set external-ips-v4 { type ipv4_addr . inet_proto . inet_service; }    # ExternalVirtualIps
///   set unmarked-ips-v4 { type ipv4_addr . inet_proto . inet_service; }    # UnmarkedVirtualIps
///   set reject-unknown-ports-v4 { type ipv4_addr; }                         # RejectUnknownPortsOn
///   set firewall-v4 { type ipv4_addr . inet_proto . inet_service; }        # SourceRanges' targets
///   set firewall-allowed-v4 { type ipv4_addr . inet_proto . inet_service . ipv4_addr; flags interval; }  # target . range
///   set hairpin-v4 { type ipv4_addr . inet_proto . inet_service . ipv4_addr; }  # endpoint . its own address
///   chain mark-for-masquerade { meta mark set meta mark | 0x00004000 }
///   chain virtual-ip { ip saddr != 10.0.0.0/8 jump mark-for-masquerade }   # or just the jump (masquerade all), or empty
///   chain services {
///     ip daddr . meta l4proto . th dport @virtual-ips-v4 jump virtual-ip
///     ip daddr . meta l4proto . th dport @external-ips-v4 jump mark-for-masquerade
///     fib daddr type local meta l4proto . th dport @node-ports jump mark-for-masquerade
///   }
///   chain firewall {
///     ip daddr . meta l4proto . th dport @firewall-v4 ip daddr . meta l4proto . th dport . ip saddr != @firewall-allowed-v4 drop
///   }
///   chain unknown-port {
///     ip daddr . meta l4proto . th dport @virtual-ips-v4 return      # and @external-ips-v4, @unmarked-ips-v4
///     meta l4proto tcp reject with tcp reset
///     meta l4proto udp reject
///     meta l4proto sctp reject
///   }
///   chain prerouting { type nat hook prerouting priority dstnat; policy accept; jump services }
///   chain output { type nat hook output priority -100; policy accept; jump services }
///   chain postrouting {
///     type nat hook postrouting priority srcnat; policy accept;
///     meta mark &amp; 0x00004000 == 0x00004000 masquerade
///     ip daddr . meta l4proto . th dport . ip saddr @hairpin-v4 masquerade
///   }
///   chain filter-input {
///     type filter hook input priority filter; policy accept;
///     jump firewall
///     ct state new ip daddr @reject-unknown-ports-v4 jump unknown-port
///   }
///   chain filter-output { type filter hook output priority mangle; policy accept; jump firewall }
/// }
/// </code>
/// IPVS takes a packet in LOCAL_IN at priority 98 to 100 (NF_IP_PRI_NAT_SRC - 2 and - 1), so filter-input sees it before
/// IPVS does; the host's own connections are taken in LOCAL_OUT at -98 (NF_IP_PRI_NAT_DST + 2) and rewritten to a real
/// server, so filter-output runs at mangle (-150) to drop them while their destination is still the load balancer IP.
/// </summary>
internal static class NfTablesServiceRuleset
{
    public const TableFamily Family = TableFamily.Inet;
    public const string Services = "services";
    public const string VirtualIp = "virtual-ip";
    public const string MarkMasquerade = "mark-for-masquerade";
    public const string Firewall = "firewall";
    public const string UnknownPort = "unknown-port";
    public const string VirtualIpsV4 = "virtual-ips-v4";
    public const string VirtualIpsV6 = "virtual-ips-v6";
    public const string NodePorts = "node-ports";

    /// <summary>The names of the sets that come in an IPv4 and an IPv6 variant, without the -v4/-v6 suffix.</summary>
    public const string VirtualIps = "virtual-ips", ExternalIps = "external-ips", UnmarkedIps = "unmarked-ips", RejectUnknownPorts = "reject-unknown-ports",
        FirewallTargets = "firewall", FirewallAllowed = "firewall-allowed", Hairpin = "hairpin";

    public static string Named(string name, bool v6) => name + (v6 ? "-v6" : "-v4");

    /// <summary>Builds the table's whole content for <paramref name="rules"/> in table <paramref name="table"/>.</summary>
    public static Ruleset Build(ServiceRuleSet rules, string table)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ServiceRuleSet set = rules.Normalize();
        Chain Regular(string name) => new(Family, table, name);
        Chain Base(string name, ChainType type, HookPoint hook, int priority) => new(Family, table, name) { Base = new BaseChainSpec(type, hook, priority) };
        Chain[] chains =
        [
            Regular(MarkMasquerade), Regular(VirtualIp), Regular(Services), Regular(Firewall), Regular(UnknownPort),
            Base("prerouting", ChainType.Nat, HookPoint.Prerouting, ChainPriority.DstNat),
            Base("output", ChainType.Nat, HookPoint.Output, ChainPriority.DstNat),
            Base("postrouting", ChainType.Nat, HookPoint.Postrouting, ChainPriority.SrcNat),
            Base("filter-input", ChainType.Filter, HookPoint.Input, ChainPriority.Filter),
            Base("filter-output", ChainType.Filter, HookPoint.Output, ChainPriority.Mangle),
        ];
        var sets = new ServiceSets(table);
        NftSet[] virtualIps = sets.PerFamily(VirtualIps, SetType.InetProto, SetType.InetService);
        NftSet nodePorts = sets.Add(new NftSet(Family, table, NodePorts, SetType.Concat(SetType.InetProto, SetType.InetService)),
            set.NodePorts.Select(p => new SetElement(NetworkKeys.NodePort(p))));
        NftSet[] externalIps = sets.PerFamily(ExternalIps, SetType.InetProto, SetType.InetService);
        NftSet[] unmarkedIps = sets.PerFamily(UnmarkedIps, SetType.InetProto, SetType.InetService);
        NftSet[] rejectOn = sets.PerFamily(RejectUnknownPorts);
        NftSet[] firewall = sets.PerFamily(FirewallTargets, SetType.InetProto, SetType.InetService);
        NftSet[] allowed = sets.PerFamily(FirewallAllowed, SetFlags.Interval, SetType.InetProto, SetType.InetService, null);
        NftSet[] hairpin = sets.PerFamily(Hairpin, SetType.InetProto, SetType.InetService, null);
        sets.Fill(virtualIps, set.VirtualIps, v => v.IsIPv6, v => new SetElement(NetworkKeys.VirtualIp(v)));
        sets.Fill(externalIps, set.ExternalVirtualIps, v => v.IsIPv6, v => new SetElement(NetworkKeys.VirtualIp(v)));
        sets.Fill(unmarkedIps, set.UnmarkedVirtualIps, v => v.IsIPv6, v => new SetElement(NetworkKeys.VirtualIp(v)));
        sets.Fill(rejectOn, set.RejectUnknownPortsOn, a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6, a => new SetElement(SetKey.Address(a)));
        sets.Fill(firewall, set.SourceRanges, r => r.Target.IsIPv6, r => new SetElement(NetworkKeys.VirtualIp(r.Target)));
        sets.Fill(allowed, set.SourceRanges.SelectMany(r => r.AllowedSources.Select(a => (r.Target, Range: a))), p => p.Target.IsIPv6,
            p => NetworkKeys.AllowedSource(p.Target, p.Range));
        sets.Fill(hairpin, set.HairpinEndpoints, v => v.IsIPv6, v => new SetElement(NetworkKeys.Hairpin(v)));

        Rule In(string chain, params Expression[] expressions) => new(Family, table, chain, expressions);
        byte[] mark = SetKey.Number(set.MasqueradeMark);
        var ruleList = new List<Rule>
        {
            In(MarkMasquerade, new MetaExpression(MetaKey.Mark),
                new BitwiseExpression(Registers.R1, Registers.R1, SetKey.Number(~set.MasqueradeMark), mark), new MetaSetExpression(MetaKey.Mark)),
        };
        if (set.MasqueradeAll)
        {
            ruleList.Add(In(VirtualIp, Jump(MarkMasquerade)));
        }
        foreach (IPNetwork cidr in set.ClusterCidrs)
        {
            ruleList.Add(In(VirtualIp, [.. SourceOutside(cidr), Jump(MarkMasquerade)]));
        }
        foreach (bool v6 in s_families)
        {
            ruleList.Add(In(Services, LookupDestination(virtualIps[Index(v6)], v6, Verdict.JumpTo(VirtualIp))));
        }
        foreach (bool v6 in s_families)
        {
            ruleList.Add(In(Services, LookupDestination(externalIps[Index(v6)], v6, Verdict.JumpTo(MarkMasquerade))));
        }
        ruleList.Add(In(Services, FibExpression.DestinationAddressType(), CmpExpression.Equal(SetKey.Number(FibExpression.LocalAddressType)),
            new MetaExpression(MetaKey.L4Proto), PayloadExpression.TransportDestinationPort(Registers.Reg32(1)), Lookup(nodePorts), Jump(MarkMasquerade)));
        foreach (bool v6 in s_families)
        {
            ruleList.Add(In(Firewall, [.. IsFamily(v6), .. LoadDestination(v6, withSource: false), Lookup(firewall[Index(v6)]),
                .. LoadDestination(v6, withSource: true), Lookup(allowed[Index(v6)], inverted: true), ImmediateExpression.Of(Verdict.Drop)]));
        }
        foreach (NftSet[] services in new[] { virtualIps, externalIps, unmarkedIps })
        {
            foreach (bool v6 in s_families)
            {
                ruleList.Add(In(UnknownPort, LookupDestination(services[Index(v6)], v6, Verdict.Return)));
            }
        }
        foreach (ServiceProtocol protocol in new[] { ServiceProtocol.Tcp, ServiceProtocol.Udp, ServiceProtocol.Sctp })
        {
            ruleList.Add(In(UnknownPort, RejectProtocol(protocol)));
        }
        ruleList.Add(In("prerouting", Jump(Services)));
        ruleList.Add(In("output", Jump(Services)));
        ruleList.Add(In("postrouting", new MetaExpression(MetaKey.Mark), BitwiseExpression.And(mark), CmpExpression.Equal(mark), new MasqExpression()));
        foreach (bool v6 in s_families)
        {
            ruleList.Add(In("postrouting", [.. IsFamily(v6), .. LoadDestination(v6, withSource: true), Lookup(hairpin[Index(v6)]), new MasqExpression()]));
        }
        ruleList.Add(In("filter-input", Jump(Firewall)));
        foreach (bool v6 in s_families)
        {
            ruleList.Add(In("filter-input", [.. CtStateNew(), .. IsFamily(v6), v6 ? PayloadExpression.Ipv6Destination() : PayloadExpression.Ipv4Destination(),
                Lookup(rejectOn[Index(v6)]), Jump(UnknownPort)]));
        }
        ruleList.Add(In("filter-output", Jump(Firewall)));
        return new Ruleset([new Table(Family, table)], chains, ruleList, sets.Sets, sets.Elements);
    }

    private static readonly bool[] s_families = [false, true];

    private static int Index(bool v6) => v6 ? 1 : 0;
}
