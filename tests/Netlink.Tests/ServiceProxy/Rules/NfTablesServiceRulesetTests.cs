using System.Net;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Codec;
using Netlink.Netfilter.NfTables.Expressions;
using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Rules;

/// <summary>The nf_tables side: the table built for a rule set, the transaction that installs it, and reading it back.</summary>
public sealed class NfTablesServiceRulesetTests
{
    private const int NewTable = 0, DeleteTable = 2, NewChain = 3, NewRule = 6, NewSet = 9, NewElements = 12;

    [Fact]
    public void The_table_has_the_sets_chains_and_base_chains_of_the_design()
    {
        Ruleset built = NfTablesServiceRuleset.Build(Samples.DualStack, "ipvsd");

        Assert.Equal(new Table(TableFamily.Inet, "ipvsd"), Assert.Single(built.Tables));
        Assert.Equal(["mark-for-masquerade", "virtual-ip", "services", "firewall", "unknown-port", "prerouting", "output", "postrouting", "filter-input", "filter-output"],
            built.Chains.Select(c => c.Name));
        Assert.Equal(new BaseChainSpec(ChainType.Nat, HookPoint.Prerouting, -100), built.Chains.Single(c => c.Name == "prerouting").Base);
        Assert.Equal(new BaseChainSpec(ChainType.Nat, HookPoint.Output, -100), built.Chains.Single(c => c.Name == "output").Base);
        Assert.Equal(new BaseChainSpec(ChainType.Nat, HookPoint.Postrouting, 100), built.Chains.Single(c => c.Name == "postrouting").Base);
        // Before IPVS's LOCAL_IN hooks (98, 99); before its LOCAL_OUT hook (-98), so the host's own traffic is filtered too.
        Assert.Equal(new BaseChainSpec(ChainType.Filter, HookPoint.Input, 0), built.Chains.Single(c => c.Name == "filter-input").Base);
        Assert.Equal(new BaseChainSpec(ChainType.Filter, HookPoint.Output, -150), built.Chains.Single(c => c.Name == "filter-output").Base);
        Assert.Equal(["virtual-ips-v4", "virtual-ips-v6", "node-ports", "external-ips-v4", "external-ips-v6", "unmarked-ips-v4", "unmarked-ips-v6",
            "reject-unknown-ports-v4", "reject-unknown-ports-v6", "firewall-v4", "firewall-v6", "firewall-allowed-v4", "firewall-allowed-v6", "hairpin-v4", "hairpin-v6"],
            built.Sets.Select(s => s.Name));
        Assert.Equal(["ipv4_addr . inet_proto . inet_service", "ipv6_addr . inet_proto . inet_service", "inet_proto . inet_service"],
            built.Sets.Take(3).Select(s => s.KeyType.Name));
        Assert.Equal([2, 2, 2], built.Sets.Take(3).Select(s => built.Elements[s].Count));
        // Nothing but the cluster IPs and node ports given: every other set is empty.
        Assert.All(built.Sets.Skip(3), s => Assert.Empty(built.Elements[s]));
        // 198.18.0.1 . tcp . 80: each field padded to 4 bytes, address and port in network order.
        Assert.Equal("c6120001" + "06000000" + "00500000", Convert.ToHexStringLower(built.Elements[built.Sets[0]][0].Key.Span));
    }

    [Fact]
    public void The_masquerade_mark_is_or_ed_in_and_tested_in_host_byte_order()
    {
        Ruleset built = NfTablesServiceRuleset.Build(Samples.DualStack with { MasqueradeMark = 0x4000 }, "ipvsd");

        Rule mark = built.Rules.Single(r => r.Chain == "mark-for-masquerade");
        Assert.Equal([new MetaExpression(MetaKey.Mark), new BitwiseExpression(Registers.R1, Registers.R1, new byte[] { 0xff, 0xbf, 0xff, 0xff }, new byte[] { 0x00, 0x40, 0, 0 }), new MetaSetExpression(MetaKey.Mark)],
            mark.Expressions);
        Rule masquerade = built.Rules.First(r => r.Chain == "postrouting");
        Assert.Equal([new MetaExpression(MetaKey.Mark), BitwiseExpression.And(new byte[] { 0, 0x40, 0, 0 }), CmpExpression.Equal(new byte[] { 0, 0x40, 0, 0 }), new MasqExpression()],
            masquerade.Expressions);
    }

    [Fact]
    public void Cluster_CIDRs_are_encoded_as_nft_encodes_them()
    {
        Ruleset aligned = NfTablesServiceRuleset.Build(Samples.DualStack, "ipvsd");
        Ruleset unaligned = NfTablesServiceRuleset.Build(new ServiceRuleSet { ClusterCidrs = [IPNetwork.Parse("198.19.16.0/20")] }, "ipvsd");

        // ip saddr != 198.19.0.0/16: [ payload load 2b @ network header + 12 => reg 1 ] [ cmp neq reg 1 0x000013c6 ]
        Rule v4 = aligned.Rules.Where(r => r.Chain == "virtual-ip").First();
        Assert.Equal(new PayloadExpression(PayloadBase.Network, 12, 2), v4.Expressions[2]);
        Assert.Equal(CmpExpression.NotEqual(new byte[] { 198, 19 }), v4.Expressions[3]);
        Assert.Equal(ImmediateExpression.Of(Verdict.JumpTo("mark-for-masquerade")), v4.Expressions[4]);
        // ip saddr != 198.19.16.0/20: [ payload load 4b ... ] [ bitwise reg 1 = ( reg 1 & 0x00f0ffff ) ^ 0 ] [ cmp neq reg 1 0x001013c6 ]
        Rule v4Unaligned = Assert.Single(unaligned.Rules, r => r.Chain == "virtual-ip");
        Assert.Equal(new PayloadExpression(PayloadBase.Network, 12, 4), v4Unaligned.Expressions[2]);
        Assert.Equal(BitwiseExpression.And(new byte[] { 255, 255, 240, 0 }), v4Unaligned.Expressions[3]);
        Assert.Equal(CmpExpression.NotEqual(new byte[] { 198, 19, 16, 0 }), v4Unaligned.Expressions[4]);
    }

    [Fact]
    public void The_apply_transaction_replaces_the_table_whole_and_every_message_decodes_back_to_the_same_set()
    {
        using Transaction transaction = NfTablesServiceRules.CreateApplyTransaction(Samples.Everything, "ipvsd");
        var kinds = new List<int>();
        var chains = new List<Chain>();
        var rules = new List<Rule>();
        var sets = new List<NftSet>();
        var elements = new Dictionary<NftSet, IReadOnlyList<SetElement>>(ReferenceEqualityComparer.Instance);
        var reader = new NetlinkMessageReader(transaction.Seal().WrittenSpan);
        while (reader.TryRead(out NetlinkMessage m))
        {
            int kind = NfMessageParser.NftMessage(m);
            kinds.Add(kind);
            switch (kind)
            {
                case NewChain: chains.Add(NfMessageParser.ParseChain(m)); break;
                case NewRule: rules.Add(NfMessageParser.ParseRule(m)); break;
                case NewSet: sets.Add(NfMessageParser.ParseSet(m)); break;
                case NewElements:
                    var list = new List<SetElement>();
                    NfMessageParser.ParseElements(m, list);
                    string target = TargetSet(m);
                    elements[sets.Single(s => s.Name == target)] = list;
                    break;
            }
        }

        Assert.Equal([NewTable, DeleteTable, NewTable, .. Enumerable.Repeat(NewChain, 10)], kinds[1..14]);
        Assert.Equal(15, kinds.Count(k => k == NewSet));
        // mark 1, virtual-ip 2, services 5, firewall 2, unknown-port 9, prerouting 1, output 1, postrouting 3, filter-input 3, filter-output 1.
        Assert.Equal(28, kinds.Count(k => k == NewRule));
        Assert.True(kinds.IndexOf(NewRule) > kinds.LastIndexOf(NewSet), "rules come after the sets they look up");
        Assert.Contains(rules.SelectMany(r => r.Expressions), e => e == FibExpression.DestinationAddressType());
        Assert.DoesNotContain(rules.SelectMany(r => r.Expressions), e => e is OpaqueExpression);

        ServiceRuleSet read = NfTablesServiceRulesetReader.Read(new Ruleset([], chains, rules, sets, elements));

        Assert.Equal(Samples.Everything, read);
    }

    public static TheoryData<string> Sets => ["dual stack", "masquerade all", "unaligned", "node ports only", "empty", "everything", "a target no source may reach"];

    [Theory]
    [MemberData(nameof(Sets))]
    public void What_is_built_reads_back_as_the_same_set(string name)
    {
        ServiceRuleSet set = name switch
        {
            "dual stack" => Samples.DualStack,
            "masquerade all" => Samples.DualStack with { ClusterCidrs = [], MasqueradeAll = true, MasqueradeMark = 0x80000000 },
            "unaligned" => Samples.DualStack with { ClusterCidrs = [IPNetwork.Parse("198.19.16.0/20"), IPNetwork.Parse("2001:db8:1:10::/60")] },
            "node ports only" => new ServiceRuleSet { NodePorts = [new(ServiceProtocol.Sctp, 30000)], MasqueradeMark = 1 },
            "empty" => new ServiceRuleSet(),
            "everything" => Samples.Everything,
            "a target no source may reach" => new ServiceRuleSet { SourceRanges = [new(new(IPAddress.Parse("2001:db8::10"), ServiceProtocol.Udp, 53), [])] },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        Assert.Equal(set, NfTablesServiceRulesetReader.Read(NfTablesServiceRuleset.Build(set, "ipvsd")));
    }

    private static string TargetSet(NetlinkMessage message)
    {
        foreach (NetlinkAttribute a in message.Attributes(4))
        {
            if (a.Type == 2)
            {
                return a.GetString();
            }
        }
        throw new InvalidOperationException("no set name");
    }
}
