using System.Net;
using System.Net.Sockets;
using Netlink.NativeTests.Infrastructure;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Expressions;

namespace Netlink.NativeTests.NfTables;

/// <summary>
/// The library against `nft` on the same kernel: a kube-proxy-shaped ruleset applied with `nft -f` and dumped with
/// `nft -j list ruleset`; flushed; built through the library; dumped again: the two dumps are equal. And the library
/// reads what `nft` wrote, every expression understood, and writing that read-back model gives the same dump again.
/// </summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class NfTablesDifferentialTests : IDisposable
{
    private const TableFamily Ip = TableFamily.IPv4;
    private const TableFamily Ip6 = TableFamily.IPv6;
    private readonly TestNamespace _ns = TestNamespace.Create(routeTestRanges: false);
    private readonly NfTablesClient _nft;

    public NfTablesDifferentialTests()
    {
        _nft = NfTablesClient.Open(new NfTablesClientOptions { Namespace = _ns.Namespace });
    }

    public void Dispose()
    {
        _nft.Dispose();
        _ns.Dispose();
    }

    [Fact]
    public void Library_builds_exactly_what_nft_builds_from_the_same_ruleset()
    {
        ApplyWithNft(DifferentialRuleset.Text);
        string byNft = NftRulesetDump.Of(_ns);

        _ns.Exec("nft", "flush", "ruleset");
        Assert.Equal("[]", NftRulesetDump.Of(_ns));
        using (var tx = new Transaction())
        {
            BuildSameRuleset(tx);
            _nft.Commit(tx);
        }
        string byLibrary = NftRulesetDump.Of(_ns);
        Assert.Equal(byNft, byLibrary);
    }

    [Fact]
    public void Library_reads_what_nft_wrote_and_writing_it_back_gives_the_same_ruleset()
    {
        ApplyWithNft(DifferentialRuleset.Text);
        string byNft = NftRulesetDump.Of(_ns);

        Ruleset read = _nft.ListRuleset();
        Assert.Equal(2, read.Tables.Count);
        Assert.Equal(12, read.Chains.Count);
        Assert.Equal(20, read.Rules.Count);
        Assert.DoesNotContain(read.Rules.SelectMany(r => r.Expressions), e => e is OpaqueExpression);
        Assert.Equal("kube masquerade", read.Rules.Single(r => r.Expressions.Any(e => e is MasqExpression)).Comment);
        NftSet services = read.Sets.Single(s => s.Name == "service-ips");
        Assert.Equal(SetType.Concat(SetType.Ipv4Address, SetType.InetProto, SetType.InetService), services.KeyType);
        Assert.Equal(SetType.Verdict, services.DataType);
        Assert.Contains(read.Elements[services], e => e.Verdict == Verdict.GoTo("svc-b") && e.Key.Span.SequenceEqual(
            SetKey.Concat(SetKey.Ipv4(IPAddress.Parse("198.18.0.2")), SetKey.Protocol(ProtocolType.Udp), SetKey.Port(53))));
        NftSet anonymous = Assert.Single(read.Sets, s => s.Flags.HasFlag(SetFlags.Anonymous));
        Assert.Equal(2, read.Elements[anonymous].Count);
        Chain postrouting = read.Chains.Single(c => c.Name == "postrouting");
        Assert.Equal(new BaseChainSpec(ChainType.Nat, HookPoint.Postrouting, ChainPriority.SrcNat), postrouting.Base);

        _ns.Exec("nft", "flush", "ruleset");
        using (var tx = new Transaction())
        {
            tx.Add(read);
            _nft.Commit(tx);
        }
        Assert.Equal(byNft, NftRulesetDump.Of(_ns));
    }

    private void ApplyWithNft(string ruleset)
    {
        CliWrap.Buffered.BufferedCommandResult result = _ns.TryExec(ruleset, "nft", "-f", "-");
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    /// <summary>The ruleset of Data/differential.nft, written with the library's model.</summary>
    private static void BuildSameRuleset(Transaction tx)
    {
        static byte[] V4(string a) => SetKey.Ipv4(IPAddress.Parse(a));
        static Rule R(string chain, params Expression[] e) => new(Ip, "kube", chain, e);
        static Expression[] Dnat(ProtocolType proto, string address, ushort port) =>
        [
            new MetaExpression(MetaKey.L4Proto), CmpExpression.Equal(SetKey.Protocol(proto)),
            ImmediateExpression.Of(Registers.R1, V4(address)), ImmediateExpression.Of(Registers.R2, SetKey.Port(port)),
            new NatExpression(NatType.Dnat, TableFamily.IPv4) { AddressMinRegister = Registers.R1, ProtoMinRegister = Registers.R2, Flags = NatFlags.ProtoSpecified },
        ];
        static Expression[] CtState(CtState state) =>
            [new CtExpression(CtKey.State), BitwiseExpression.And(SetKey.Number((uint)state)), CmpExpression.NotEqual(SetKey.Number(0))];

        var vips = new NftSet(Ip, "kube", "vips", SetType.Ipv4Address);
        var nodeports = new NftSet(Ip, "kube", "nodeports", SetType.Concat(SetType.InetProto, SetType.InetService));
        var cidrs = new NftSet(Ip, "kube", "cidrs", SetType.Ipv4Address) { Flags = SetFlags.Interval };
        var serviceIps = new NftSet(Ip, "kube", "service-ips", SetType.Concat(SetType.Ipv4Address, SetType.InetProto, SetType.InetService)) { DataType = SetType.Verdict };
        var portmap = new NftSet(Ip, "kube", "portmap", SetType.InetService) { DataType = SetType.Ipv4Address };
        var endpoints = new NftSet(Ip, "kube", "__map0", SetType.Number) { DataType = SetType.Verdict, Flags = SetFlags.Anonymous | SetFlags.Constant };

        tx.AddTable(new Table(Ip, "kube"));
        foreach (string chain in new[] { "mark-for-masq", "ep-a-0", "ep-a-1", "ep-b-0", "svc-a", "svc-b", "services" })
        {
            tx.AddChain(new Chain(Ip, "kube", chain));
        }
        tx.AddChain(new Chain(Ip, "kube", "prerouting") { Base = new BaseChainSpec(ChainType.Nat, HookPoint.Prerouting, ChainPriority.DstNat) })
          .AddChain(new Chain(Ip, "kube", "output") { Base = new BaseChainSpec(ChainType.Nat, HookPoint.Output, ChainPriority.DstNat) })
          .AddChain(new Chain(Ip, "kube", "postrouting") { Base = new BaseChainSpec(ChainType.Nat, HookPoint.Postrouting, ChainPriority.SrcNat) })
          .AddChain(new Chain(Ip, "kube", "filter-input") { Base = new BaseChainSpec(ChainType.Filter, HookPoint.Input, ChainPriority.Filter) });

        tx.AddSet(vips).AddElements(vips, [new SetElement(V4("198.18.0.1")), new SetElement(V4("198.18.0.2"))])
          .AddSet(nodeports).AddElements(nodeports, [
              new SetElement(SetKey.Concat(SetKey.Protocol(ProtocolType.Tcp), SetKey.Port(30080))),
              new SetElement(SetKey.Concat(SetKey.Protocol(ProtocolType.Udp), SetKey.Port(30053)))])
          // An interval set holds boundaries: 0.0.0.0 closes the empty range below, as nft writes it.
          .AddSet(cidrs).AddElements(cidrs, [
              new SetElement(V4("0.0.0.0")) { Flags = SetElementFlags.IntervalEnd },
              new SetElement(V4("198.18.16.0")),
              new SetElement(V4("198.18.32.0")) { Flags = SetElementFlags.IntervalEnd }])
          .AddSet(serviceIps).AddElements(serviceIps, [
              SetElement.WithVerdict(SetKey.Concat(V4("198.18.0.1"), SetKey.Protocol(ProtocolType.Tcp), SetKey.Port(80)), Verdict.GoTo("svc-a")),
              SetElement.WithVerdict(SetKey.Concat(V4("198.18.0.2"), SetKey.Protocol(ProtocolType.Udp), SetKey.Port(53)), Verdict.GoTo("svc-b"))])
          .AddSet(portmap).AddElements(portmap, [SetElement.WithData(SetKey.Port(8080), V4("198.19.0.1"))]);

        tx.AddRule(R("mark-for-masq", new MetaExpression(MetaKey.Mark), new BitwiseExpression(Registers.R1, Registers.R1, SetKey.Number(~0x4000u), SetKey.Number(0x4000)), new MetaSetExpression(MetaKey.Mark)));
        tx.AddRule(R("ep-a-0", PayloadExpression.Ipv4Source(), CmpExpression.Equal(V4("198.19.0.1")), ImmediateExpression.Of(Verdict.JumpTo("mark-for-masq"))));
        tx.AddRule(R("ep-a-0", Dnat(ProtocolType.Tcp, "198.19.0.1", 8080)));
        tx.AddRule(R("ep-a-1", PayloadExpression.Ipv4Source(), CmpExpression.Equal(V4("198.19.0.2")), ImmediateExpression.Of(Verdict.JumpTo("mark-for-masq"))));
        tx.AddRule(R("ep-a-1", Dnat(ProtocolType.Tcp, "198.19.0.2", 8080)));
        tx.AddRule(R("ep-b-0", Dnat(ProtocolType.Udp, "198.19.1.1", 5353)));
        tx.AddSet(endpoints).AddElements(endpoints, [SetElement.WithVerdict(SetKey.Number(0), Verdict.GoTo("ep-a-0")), SetElement.WithVerdict(SetKey.Number(1), Verdict.GoTo("ep-a-1"))]);
        tx.AddRule(R("svc-a", new NumgenExpression(NumgenType.Random, 2), LookupExpression.VerdictMap("__map0")));
        tx.AddRule(R("svc-b", new CounterExpression(), ImmediateExpression.Of(Verdict.GoTo("ep-b-0"))));
        tx.AddRule(R("services", PayloadExpression.Ipv4Destination(), new MetaExpression(MetaKey.L4Proto, Registers.Reg32(1)), PayloadExpression.TransportDestinationPort(Registers.Reg32(2)), LookupExpression.VerdictMap("service-ips")));
        tx.AddRule(R("services", PayloadExpression.Ipv4Destination(), new LookupExpression("vips"), new CounterExpression(), new RejectExpression()));
        tx.AddRule(R("prerouting", ImmediateExpression.Of(Verdict.JumpTo("services"))));
        tx.AddRule(R("output", ImmediateExpression.Of(Verdict.JumpTo("services"))));
        tx.AddRule(R("postrouting", new MetaExpression(MetaKey.Mark), BitwiseExpression.And(SetKey.Number(0x4000)), CmpExpression.Equal(SetKey.Number(0)), ImmediateExpression.Of(Verdict.Return)));
        tx.AddRule(R("postrouting", new MetaExpression(MetaKey.Mark), new BitwiseExpression(Registers.R1, Registers.R1, SetKey.Number(uint.MaxValue), SetKey.Number(0x4000)), new MetaSetExpression(MetaKey.Mark)));
        tx.AddRule(R("postrouting", new MasqExpression(NatFlags.ProtoRandomFully)) with { Comment = "kube masquerade" });
        tx.AddRule(R("filter-input", [.. CtState(Netlink.Netfilter.NfTables.Expressions.CtState.Invalid), ImmediateExpression.Of(Verdict.Drop)]));
        tx.AddRule(R("filter-input", [new MetaExpression(MetaKey.L4Proto), PayloadExpression.TransportDestinationPort(Registers.Reg32(1)), new LookupExpression("nodeports"),
            .. CtState(Netlink.Netfilter.NfTables.Expressions.CtState.New), new CounterExpression(), ImmediateExpression.Of(Verdict.Accept)]));
        tx.AddRule(R("filter-input", PayloadExpression.Ipv4Source(), new LookupExpression("cidrs", Inverted: true), new LimitExpression(10, 1, 5), new LogExpression { Prefix = "drop " }, ImmediateExpression.Of(Verdict.Drop)));

        var vips6 = new NftSet(Ip6, "kube6", "vips6", SetType.Ipv6Address);
        tx.AddTable(new Table(Ip6, "kube6"))
          .AddSet(vips6).AddElements(vips6, [new SetElement(SetKey.Address(IPAddress.Parse("2001:db8::1")))])
          .AddChain(new Chain(Ip6, "kube6", "forward") { Base = new BaseChainSpec(ChainType.Filter, HookPoint.Forward, ChainPriority.Filter, ChainPolicy.Drop) })
          .AddRule(new Rule(Ip6, "kube6", "forward", [PayloadExpression.Ipv6Destination(), new LookupExpression("vips6"), ImmediateExpression.Of(Registers.R1, SetKey.Number(7)), new CtSetExpression(CtKey.Mark), ImmediateExpression.Of(Verdict.Accept)]))
          .AddRule(new Rule(Ip6, "kube6", "forward", [new CtExpression(CtKey.DestinationIp6, Registers.R1, CtDirection.Original), CmpExpression.Equal(SetKey.Address(IPAddress.Parse("2001:db8::2"))), ImmediateExpression.Of(Verdict.Accept)]));
    }
}
