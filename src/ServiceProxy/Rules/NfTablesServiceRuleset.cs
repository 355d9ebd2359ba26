using System.Net;
using System.Net.Sockets;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Expressions;

namespace ServiceProxy.Rules;

/// <summary>
/// The nf_tables shape of a <see cref="ServiceRuleSet"/>: one <c>inet</c> table, so one ruleset serves IPv4 and IPv6,
/// encoded expression for expression as <c>nft</c> encodes the same text, so <c>nft list</c> prints it as written here:
/// <code>
/// table inet ipvsd {
///   set virtual-ips-v4 { type ipv4_addr . inet_proto . inet_service; }
///   set virtual-ips-v6 { type ipv6_addr . inet_proto . inet_service; }
///   set node-ports { type inet_proto . inet_service; }
///   chain services {
///     ip daddr . meta l4proto . th dport @virtual-ips-v4 jump virtual-ip
///     ip6 daddr . meta l4proto . th dport @virtual-ips-v6 jump virtual-ip
///     fib daddr type local meta l4proto . th dport @node-ports jump mark-for-masquerade
///   }
///   chain virtual-ip { ip saddr != 10.0.0.0/8 jump mark-for-masquerade }   # or just the jump (masquerade all), or empty
///   chain mark-for-masquerade { meta mark set meta mark | 0x00004000 }
///   chain prerouting { type nat hook prerouting priority dstnat; policy accept; jump services }
///   chain output { type nat hook output priority -100; policy accept; jump services }
///   chain postrouting { type nat hook postrouting priority srcnat; policy accept; meta mark &amp; 0x00004000 == 0x00004000 masquerade }
/// }
/// </code>
/// </summary>
internal static class NfTablesServiceRuleset
{
    public const TableFamily Family = TableFamily.Inet;
    public const string Services = "services";
    public const string VirtualIp = "virtual-ip";
    public const string MarkMasquerade = "mark-for-masquerade";
    public const string VirtualIpsV4 = "virtual-ips-v4";
    public const string VirtualIpsV6 = "virtual-ips-v6";
    public const string NodePorts = "node-ports";

    private const byte NfprotoIpv4 = 2;
    private const byte NfprotoIpv6 = 10;

    /// <summary>Builds the table's whole content for <paramref name="rules"/> in table <paramref name="table"/>.</summary>
    public static Ruleset Build(ServiceRuleSet rules, string table)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ServiceRuleSet set = rules.Normalize();
        Chain Regular(string name) => new(Family, table, name);
        Chain Base(string name, HookPoint hook, int priority) => new(Family, table, name) { Base = new BaseChainSpec(ChainType.Nat, hook, priority) };
        Chain[] chains =
        [
            Regular(MarkMasquerade), Regular(VirtualIp), Regular(Services),
            Base("prerouting", HookPoint.Prerouting, ChainPriority.DstNat),
            Base("output", HookPoint.Output, ChainPriority.DstNat),
            Base("postrouting", HookPoint.Postrouting, ChainPriority.SrcNat),
        ];
        NftSet v4 = new(Family, table, VirtualIpsV4, SetType.Concat(SetType.Ipv4Address, SetType.InetProto, SetType.InetService)) { Id = 1 };
        NftSet v6 = new(Family, table, VirtualIpsV6, SetType.Concat(SetType.Ipv6Address, SetType.InetProto, SetType.InetService)) { Id = 2 };
        NftSet nodePorts = new(Family, table, NodePorts, SetType.Concat(SetType.InetProto, SetType.InetService)) { Id = 3 };
        var elements = new Dictionary<NftSet, IReadOnlyList<SetElement>>(ReferenceEqualityComparer.Instance)
        {
            [v4] = [.. set.VirtualIps.Where(v => !v.IsIPv6).Select(VirtualIpElement)],
            [v6] = [.. set.VirtualIps.Where(v => v.IsIPv6).Select(VirtualIpElement)],
            [nodePorts] = [.. set.NodePorts.Select(p => new SetElement(SetKey.Concat(SetKey.Protocol((ProtocolType)p.Protocol), SetKey.Port(p.Port))))],
        };
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
        ruleList.Add(In(Services, [.. IsFamily(NfprotoIpv4), PayloadExpression.Ipv4Destination(), new MetaExpression(MetaKey.L4Proto, Registers.Reg32(1)),
            PayloadExpression.TransportDestinationPort(Registers.Reg32(2)), new LookupExpression(VirtualIpsV4) { SetId = v4.Id }, Jump(VirtualIp)]));
        ruleList.Add(In(Services, [.. IsFamily(NfprotoIpv6), PayloadExpression.Ipv6Destination(), new MetaExpression(MetaKey.L4Proto, Registers.R2),
            PayloadExpression.TransportDestinationPort(Registers.Reg32(5)), new LookupExpression(VirtualIpsV6) { SetId = v6.Id }, Jump(VirtualIp)]));
        ruleList.Add(In(Services, FibExpression.DestinationAddressType(), CmpExpression.Equal(SetKey.Number(FibExpression.LocalAddressType)),
            new MetaExpression(MetaKey.L4Proto), PayloadExpression.TransportDestinationPort(Registers.Reg32(1)),
            new LookupExpression(NodePorts) { SetId = nodePorts.Id }, Jump(MarkMasquerade)));
        ruleList.Add(In("prerouting", Jump(Services)));
        ruleList.Add(In("output", Jump(Services)));
        ruleList.Add(In("postrouting", new MetaExpression(MetaKey.Mark), BitwiseExpression.And(mark), CmpExpression.Equal(mark), new MasqExpression()));
        return new Ruleset([new Table(Family, table)], chains, ruleList, [v4, v6, nodePorts], elements);
    }

    private static SetElement VirtualIpElement(VirtualIp vip) =>
        new(SetKey.Concat(SetKey.Address(vip.Address), SetKey.Protocol((ProtocolType)vip.Protocol), SetKey.Port(vip.Port)));

    private static ImmediateExpression Jump(string chain) => ImmediateExpression.Of(Verdict.JumpTo(chain));

    private static Expression[] IsFamily(byte nfproto) => [new MetaExpression(MetaKey.NfProto), CmpExpression.Equal(new[] { nfproto })];

    /// <summary>
    /// <c>ip saddr != CIDR</c> as nft encodes it: a byte-aligned prefix loads only its bytes; another loads the whole
    /// address and masks it.
    /// </summary>
    private static IEnumerable<Expression> SourceOutside(IPNetwork cidr)
    {
        bool v6 = cidr.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;
        byte[] network = cidr.BaseAddress.GetAddressBytes();
        uint sourceOffset = v6 ? 8u : 12u;
        foreach (Expression e in IsFamily(v6 ? NfprotoIpv6 : NfprotoIpv4))
        {
            yield return e;
        }
        if (cidr.PrefixLength % 8 == 0)
        {
            int bytes = cidr.PrefixLength / 8;
            yield return new PayloadExpression(PayloadBase.Network, sourceOffset, (uint)bytes);
            yield return CmpExpression.NotEqual(network.AsMemory(0, bytes));
            yield break;
        }
        byte[] mask = new byte[network.Length];
        for (int bit = 0; bit < cidr.PrefixLength; bit++)
        {
            mask[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }
        yield return new PayloadExpression(PayloadBase.Network, sourceOffset, (uint)network.Length);
        yield return BitwiseExpression.And(mask);
        yield return CmpExpression.NotEqual(network);
    }
}
