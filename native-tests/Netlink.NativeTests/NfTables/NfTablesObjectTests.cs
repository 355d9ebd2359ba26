using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Netlink.NativeTests.Infrastructure;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Expressions;

namespace Netlink.NativeTests.NfTables;

/// <summary>
/// Every nf_tables object kind created, listed and deleted through the library on this machine's kernel, in a fresh
/// namespace, and checked against what `nft -j` reports there.
/// </summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class NfTablesObjectTests : IDisposable
{
    private const TableFamily Ip = TableFamily.IPv4;
    private readonly TestNamespace _ns = TestNamespace.Create(routeTestRanges: false);
    private readonly NfTablesClient _nft;

    public NfTablesObjectTests()
    {
        _nft = NfTablesClient.Open(new NfTablesClientOptions { Namespace = _ns.Namespace });
    }

    public void Dispose()
    {
        _nft.Dispose();
        _ns.Dispose();
    }

    private JsonElement NftJson(params string[] what)
    {
        using JsonDocument document = JsonDocument.Parse(_ns.Exec("nft", ["-j", "list", .. what]));
        return document.RootElement.GetProperty("nftables").Clone();
    }

    private static IEnumerable<JsonElement> Objects(JsonElement nftables, string kind) =>
        nftables.EnumerateArray().Where(e => e.TryGetProperty(kind, out _)).Select(e => e.GetProperty(kind));

    private void Commit(Action<Transaction> build)
    {
        using var tx = new Transaction();
        build(tx);
        _nft.Commit(tx);
    }

    [Fact]
    public void Tables_of_each_family_are_created_listed_and_deleted()
    {
        Commit(tx => tx.AddTable(new Table(Ip, "t4")).AddTable(new Table(TableFamily.IPv6, "t6")).AddTable(new Table(TableFamily.Inet, "tx")));
        IReadOnlyList<Table> tables = _nft.ListTables();
        Assert.Equal(["inet tx", "ip t4", "ip6 t6"], tables.Select(t => $"{FamilyName(t.Family)} {t.Name}").Order(StringComparer.Ordinal));
        Assert.All(tables, t => Assert.NotEqual(0UL, t.Handle));
        Assert.Equal(["inet tx", "ip t4", "ip6 t6"], Objects(NftJson("tables"), "table").Select(t => $"{t.GetProperty("family").GetString()} {t.GetProperty("name").GetString()}").Order(StringComparer.Ordinal));
        Assert.Single(_nft.ListTables(TableFamily.IPv6));

        Commit(tx => tx.DeleteTable(Ip, "t4").DeleteTable(TableFamily.IPv6, "t6"));
        Assert.Equal(["tx"], _nft.ListTables().Select(t => t.Name));
        Assert.Equal(["tx"], Objects(NftJson("tables"), "table").Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public void Base_and_regular_chains_are_created_listed_and_deleted()
    {
        Commit(tx => tx
            .AddTable(new Table(TableFamily.Inet, "f"))
            .AddChain(new Chain(TableFamily.Inet, "f", "pre") { Base = new BaseChainSpec(ChainType.Nat, HookPoint.Prerouting, ChainPriority.DstNat) })
            .AddChain(new Chain(TableFamily.Inet, "f", "in") { Base = new BaseChainSpec(ChainType.Filter, HookPoint.Input, ChainPriority.Filter + 5, ChainPolicy.Drop) })
            .AddChain(new Chain(TableFamily.Inet, "f", "out") { Base = new BaseChainSpec(ChainType.Route, HookPoint.Output, ChainPriority.Mangle) })
            .AddChain(new Chain(TableFamily.Inet, "f", "post") { Base = new BaseChainSpec(ChainType.Nat, HookPoint.Postrouting, ChainPriority.SrcNat) })
            .AddChain(new Chain(TableFamily.Inet, "f", "regular")));

        var chains = _nft.ListChains(TableFamily.Inet, "f").ToDictionary(c => c.Name);
        Assert.Equal(5, chains.Count);
        Assert.Equal(new BaseChainSpec(ChainType.Nat, HookPoint.Prerouting, -100), chains["pre"].Base);
        Assert.Equal(new BaseChainSpec(ChainType.Filter, HookPoint.Input, 5, ChainPolicy.Drop), chains["in"].Base);
        Assert.Equal(new BaseChainSpec(ChainType.Route, HookPoint.Output, -150), chains["out"].Base);
        Assert.Null(chains["regular"].Base);

        var json = Objects(NftJson("table", "inet", "f"), "chain").ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal("nat", json["pre"].GetProperty("type").GetString());
        Assert.Equal("prerouting", json["pre"].GetProperty("hook").GetString());
        Assert.Equal(-100, json["pre"].GetProperty("prio").GetInt32());
        Assert.Equal("drop", json["in"].GetProperty("policy").GetString());
        Assert.Equal(5, json["in"].GetProperty("prio").GetInt32());
        Assert.Equal("route", json["out"].GetProperty("type").GetString());
        Assert.False(json["regular"].TryGetProperty("hook", out _));

        Commit(tx => tx.DeleteChain(TableFamily.Inet, "f", "regular").DeleteChain(TableFamily.Inet, "f", "in"));
        Assert.Equal(["out", "post", "pre"], _nft.ListChains(TableFamily.Inet, "f").Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Rules_are_appended_inserted_replaced_and_deleted_by_handle_with_comments()
    {
        Commit(tx => tx.AddTable(new Table(Ip, "t")).AddChain(new Chain(Ip, "t", "c"))
            .AddRule(new Rule(Ip, "t", "c", [new CounterExpression(), ImmediateExpression.Of(Verdict.Accept)]) { Comment = "first" })
            .AddRule(new Rule(Ip, "t", "c", [.. TcpDport(443), ImmediateExpression.Of(Verdict.Drop)])));
        IReadOnlyList<Rule> rules = _nft.ListRules(Ip, "t", "c");
        Assert.Equal(2, rules.Count);
        Assert.Equal("first", rules[0].Comment);
        Assert.Null(rules[0].UserData);
        Assert.NotEqual(rules[0].Handle, rules[1].Handle);

        // Insert at the front, and after the first rule; replace the last; the handles name them.
        ulong first = rules[0].Handle, second = rules[1].Handle;
        Commit(tx => tx
            .InsertRule(new Rule(Ip, "t", "c", [ImmediateExpression.Of(Verdict.Continue)]) { Comment = "front" })
            .AddRule(new Rule(Ip, "t", "c", [ImmediateExpression.Of(Verdict.Return)]) { Comment = "after first" }, afterHandle: first)
            .ReplaceRule(new Rule(Ip, "t", "c", [.. TcpDport(8443), ImmediateExpression.Of(Verdict.Drop)]) { Handle = second, Comment = "replaced" }));
        rules = _nft.ListRules(Ip, "t", "c");
        Assert.Equal(["front", "first", "after first", "replaced"], rules.Select(r => r.Comment));
        Assert.Equal(first, rules[1].Handle);

        string listing = _ns.Exec("nft", "-a", "list", "chain", "ip", "t", "c");
        Assert.Contains("tcp dport 8443 drop comment \"replaced\"", listing, StringComparison.Ordinal);
        Assert.Contains("counter packets 0 bytes 0 accept comment \"first\"", listing, StringComparison.Ordinal);
        Assert.Contains("continue comment \"front\"", listing, StringComparison.Ordinal);

        Commit(tx => tx.DeleteRule(Ip, "t", "c", first));
        Assert.Equal(["front", "after first", "replaced"], _nft.ListRules(Ip, "t", "c").Select(r => r.Comment));
        Commit(tx => tx.FlushChain(Ip, "t", "c"));
        Assert.Empty(_nft.ListRules(Ip, "t", "c"));
        Assert.Empty(Objects(NftJson("chain", "ip", "t", "c"), "rule"));
    }

    [Fact]
    public void Every_expression_kind_round_trips_through_the_kernel_and_nft_reads_it()
    {
        var v4 = IPAddress.Parse("198.18.0.1");
        Expression[][] bodies =
        [
            [new MetaExpression(MetaKey.Mark), CmpExpression.Equal(SetKey.Number(0x4000)), new MasqExpression()],
            [new MetaExpression(MetaKey.NfProto), CmpExpression.Equal(new byte[] { 2 }), new MetaExpression(MetaKey.IifName), CmpExpression.NotEqual(IfName("lo")), new MetaExpression(MetaKey.Oif), CmpExpression.Equal(SetKey.Number(1)), new CounterExpression()],
            [PayloadExpression.Ipv4Destination(), CmpExpression.Equal(SetKey.Ipv4(v4)), new MetaExpression(MetaKey.L4Proto), CmpExpression.Equal(SetKey.Protocol(ProtocolType.Tcp)), PayloadExpression.TransportDestinationPort(), CmpExpression.Equal(SetKey.Port(80)),
                ImmediateExpression.Of(Registers.R1, SetKey.Ipv4(IPAddress.Parse("198.19.0.1"))), ImmediateExpression.Of(Registers.R2, SetKey.Port(8080)),
                new NatExpression(NatType.Dnat, TableFamily.IPv4) { AddressMinRegister = Registers.R1, ProtoMinRegister = Registers.R2, Flags = NatFlags.ProtoSpecified }],
            [new MetaExpression(MetaKey.Mark), BitwiseExpression.And(SetKey.Number(0x4000)), CmpExpression.NotEqual(SetKey.Number(0)), new MasqExpression(NatFlags.ProtoRandomFully)],
            [new CtExpression(CtKey.State), BitwiseExpression.And(SetKey.Number((uint)(CtState.Established | CtState.Related))), CmpExpression.NotEqual(SetKey.Number(0)), ImmediateExpression.Of(Verdict.Accept)],
            [new CtExpression(CtKey.DestinationIp, Registers.R1, CtDirection.Original), CmpExpression.Equal(SetKey.Ipv4(v4)), new CtExpression(CtKey.ProtoDestination, Registers.R1, CtDirection.Original), CmpExpression.Equal(SetKey.Port(80)), new CounterExpression()],
            [ImmediateExpression.Of(Registers.R1, SetKey.Number(0x10)), new MetaSetExpression(MetaKey.Mark), new MetaExpression(MetaKey.Mark), new CtSetExpression(CtKey.Mark)],
            [new NumgenExpression(NumgenType.Incremental, 3), CmpExpression.Equal(SetKey.Number(1)), new LogExpression { Prefix = "svc " , Group = 2 }],
            [new LimitExpression(10, 60, 5), new LogExpression { Prefix = "limited ", Level = 4 }, new RejectExpression(RejectType.TcpReset, 0)],
            [new LimitExpression(100, 1, 5, LimitType.Packets, Inverted: true), new RejectExpression(RejectType.IcmpUnreachable, 3)],
            [new MetaExpression(MetaKey.L4Proto), CmpExpression.Equal(SetKey.Protocol(ProtocolType.Tcp)), ImmediateExpression.Of(Registers.R1, SetKey.Port(3128)), new RedirExpression(NatFlags.ProtoSpecified) { ProtoMinRegister = Registers.R1, ProtoMaxRegister = Registers.R1 }],
            [ImmediateExpression.Of(Verdict.JumpTo("other"))],
            [ImmediateExpression.Of(Verdict.GoTo("other"))],
            [new CounterExpression(), ImmediateExpression.Of(Verdict.Return)],
        ];
        using (var tx = new Transaction())
        {
            tx.AddTable(new Table(Ip, "t"))
              .AddChain(new Chain(Ip, "t", "post") { Base = new BaseChainSpec(ChainType.Nat, HookPoint.Postrouting, ChainPriority.SrcNat) })
              .AddChain(new Chain(Ip, "t", "pre") { Base = new BaseChainSpec(ChainType.Nat, HookPoint.Prerouting, ChainPriority.DstNat) })
              .AddChain(new Chain(Ip, "t", "other"));
            tx.AddRule(new Rule(Ip, "t", "post", bodies[0])).AddRule(new Rule(Ip, "t", "post", bodies[1])).AddRule(new Rule(Ip, "t", "post", bodies[3]));
            foreach (Expression[] body in bodies.Skip(2).Where(b => b != bodies[3]))
            {
                tx.AddRule(new Rule(Ip, "t", "pre", body));
            }
            _nft.Commit(tx);
        }
        IReadOnlyList<Rule> rules = _nft.ListRules(Ip, "t");
        Assert.Equal(bodies.Length, rules.Count);
        foreach (Rule rule in rules)
        {
            Assert.DoesNotContain(rule.Expressions, e => e is OpaqueExpression);
            Assert.True(bodies.Count(b => b.Length == rule.Expressions.Count && Matches(b, rule.Expressions)) == 1,
                "read back differently: " + string.Join(", ", rule.Expressions));
        }
        string listing = _ns.Exec("nft", "list", "table", "ip", "t");
        foreach (string expected in new[]
        {
            "meta mark 0x00004000 masquerade", "iifname != \"lo\"", "ip daddr 198.18.0.1 tcp dport 80 dnat to 198.19.0.1:8080",
            "masquerade fully-random", "ct state established,related accept", "ct original ip daddr 198.18.0.1 ct original proto-dst",
            "meta mark set 0x00000010 ct mark set meta mark", "numgen inc mod 3 1 log prefix \"svc \" group 2", "limit rate 10/minute log prefix \"limited \" reject with tcp reset",
            "limit rate over 100/second", "redirect to :3128", "jump other", "goto other", "counter packets 0 bytes 0 return",
        })
        {
            Assert.True(listing.Contains(expected, StringComparison.Ordinal), $"'{expected}' not in:\n{listing}");
        }
    }

    private static bool Matches(Expression[] written, IReadOnlyList<Expression> read)
    {
        for (int i = 0; i < written.Length; i++)
        {
            // The kernel fills in what nft leaves out (counter values, log defaults): compare kinds and the fields the test set.
            Expression w = written[i], r = read[i];
            if (w.GetType() != r.GetType())
            {
                return false;
            }
            if (w is NatExpression wn && r is NatExpression rn)
            {
                // The kernel completes a range's max registers and MAP_IPS.
                if (wn.Type != rn.Type || wn.Family != rn.Family || wn.AddressMinRegister != rn.AddressMinRegister || wn.ProtoMinRegister != rn.ProtoMinRegister)
                {
                    return false;
                }
                continue;
            }
            if (w is not LogExpression && w is not CounterExpression && !w.Equals(r))
            {
                return false;
            }
        }
        return true;
    }

    [Fact]
    public void Sets_maps_and_verdict_maps_with_concatenations_hold_elements_added_and_removed()
    {
        NftSet addresses = new(Ip, "t", "vips", SetType.Ipv4Address) { Flags = SetFlags.Timeout, Timeout = TimeSpan.FromSeconds(30) };
        NftSet ranges = new(Ip, "t", "nets", SetType.Ipv4Address) { Flags = SetFlags.Interval };
        NftSet ports = new(Ip, "t", "ports", SetType.InetService);
        NftSet protos = new(Ip, "t", "protos", SetType.InetProto);
        NftSet marks = new(Ip, "t", "marks", SetType.Mark) { Size = 1024 };
        NftSet v6 = new(TableFamily.IPv6, "t6", "vips6", SetType.Ipv6Address);
        NftSet portMap = new(Ip, "t", "portmap", SetType.InetService) { DataType = SetType.Ipv4Address };
        NftSet services = new(Ip, "t", "services", SetType.Concat(SetType.Ipv4Address, SetType.InetProto, SetType.InetService)) { DataType = SetType.Verdict };
        byte[] Service(string ip, ProtocolType proto, ushort port) => SetKey.Concat(SetKey.Ipv4(IPAddress.Parse(ip)), SetKey.Protocol(proto), SetKey.Port(port));

        Commit(tx =>
        {
            tx.AddTable(new Table(Ip, "t")).AddTable(new Table(TableFamily.IPv6, "t6")).AddChain(new Chain(Ip, "t", "svc-a")).AddChain(new Chain(Ip, "t", "svc-b"));
            foreach (NftSet s in new[] { addresses, ranges, ports, protos, marks, v6, portMap, services })
            {
                tx.AddSet(s);
            }
            tx.AddElements(addresses, [new SetElement(SetKey.Ipv4(IPAddress.Parse("198.18.0.1"))), new SetElement(SetKey.Ipv4(IPAddress.Parse("198.18.0.2"))) { Timeout = TimeSpan.FromSeconds(90) }]);
            tx.AddElements(ranges, [new SetElement(SetKey.Ipv4(IPAddress.Parse("198.18.1.0"))), new SetElement(SetKey.Ipv4(IPAddress.Parse("198.18.2.0"))) { Flags = SetElementFlags.IntervalEnd }]);
            tx.AddElements(ports, [new SetElement(SetKey.Port(80)), new SetElement(SetKey.Port(443))]);
            tx.AddElements(protos, [new SetElement(SetKey.Protocol(ProtocolType.Udp))]);
            tx.AddElements(marks, [new SetElement(SetKey.Number(0x4000))]);
            tx.AddElements(v6, [new SetElement(SetKey.Address(IPAddress.Parse("2001:db8::1")))]);
            tx.AddElements(portMap, [SetElement.WithData(SetKey.Port(80), SetKey.Ipv4(IPAddress.Parse("198.19.0.1")))]);
            tx.AddElements(services, [
                SetElement.WithVerdict(Service("198.18.0.1", ProtocolType.Tcp, 80), Verdict.GoTo("svc-a")),
                SetElement.WithVerdict(Service("198.18.0.2", ProtocolType.Udp, 53), Verdict.JumpTo("svc-b")),
                SetElement.WithVerdict(Service("198.18.0.3", ProtocolType.Tcp, 443), Verdict.Drop)]);
        });

        var sets = _nft.ListSets().ToDictionary(s => s.Name);
        Assert.Equal(8, sets.Count);
        Assert.Equal(SetType.Concat(SetType.Ipv4Address, SetType.InetProto, SetType.InetService), sets["services"].KeyType);
        Assert.Equal(SetType.Verdict, sets["services"].DataType);
        Assert.True(sets["services"].IsMap);
        Assert.Equal(SetType.Ipv4Address, sets["portmap"].DataType);
        Assert.Equal(TimeSpan.FromSeconds(30), sets["vips"].Timeout);
        Assert.True(sets["nets"].Flags.HasFlag(SetFlags.Interval));
        Assert.Equal(1024u, sets["marks"].Size);
        Assert.Equal(SetType.Ipv6Address, sets["vips6"].KeyType);

        IReadOnlyList<SetElement> elements = _nft.ListElements(Ip, "t", "services");
        Assert.Equal(3, elements.Count);
        Assert.Contains(elements, e => e.Key.Span.SequenceEqual(Service("198.18.0.1", ProtocolType.Tcp, 80)) && e.Verdict == Verdict.GoTo("svc-a"));
        Assert.Contains(elements, e => e.Verdict == Verdict.JumpTo("svc-b"));
        Assert.Contains(elements, e => e.Verdict == Verdict.Drop);
        Assert.Equal(SetKey.Ipv4(IPAddress.Parse("198.19.0.1")), _nft.ListElements(Ip, "t", "portmap").Single().Data!.Value.ToArray());
        Assert.Contains(_nft.ListElements(Ip, "t", "vips"), e => e.Timeout == TimeSpan.FromSeconds(90) && e.Expiration > TimeSpan.Zero);

        string listing = _ns.Exec("nft", "list", "ruleset");
        foreach (string expected in new[]
        {
            "type ipv4_addr . inet_proto . inet_service : verdict", "198.18.0.1 . tcp . 80 : goto svc-a", "198.18.0.2 . udp . 53 : jump svc-b", "198.18.0.3 . tcp . 443 : drop",
            "type inet_service : ipv4_addr", "80 : 198.19.0.1", "198.18.1.0/24", "type mark", "size 1024", "elements = { 80, 443 }", "elements = { udp }", "2001:db8::1", "timeout 30s",
        })
        {
            Assert.Contains(expected, listing, StringComparison.Ordinal);
        }

        Commit(tx => tx.DeleteElements(Ip, "t", "services", [new SetElement(Service("198.18.0.2", ProtocolType.Udp, 53))]).DeleteElements(Ip, "t", "ports", [new SetElement(SetKey.Port(80))]));
        Assert.Equal(2, _nft.ListElements(Ip, "t", "services").Count);
        Assert.Equal([SetKey.Port(443)], _nft.ListElements(Ip, "t", "ports").Select(e => e.Key.ToArray()));

        Commit(tx => tx.DeleteSet(Ip, "t", "ports").DeleteSet(Ip, "t", "services"));
        Assert.DoesNotContain(_nft.ListSets(Ip, "t"), s => s.Name is "ports" or "services");
    }

    [Fact]
    public void Rules_look_up_sets_maps_verdict_maps_and_anonymous_maps_inverted_or_not()
    {
        NftSet vips = new(Ip, "t", "vips", SetType.Ipv4Address);
        NftSet services = new(Ip, "t", "services", SetType.Concat(SetType.Ipv4Address, SetType.InetProto, SetType.InetService)) { DataType = SetType.Verdict };
        NftSet anonymous = new(Ip, "t", "__map1", SetType.Number) { DataType = SetType.Verdict, Flags = SetFlags.Anonymous | SetFlags.Constant };
        Commit(tx =>
        {
            tx.AddTable(new Table(Ip, "t")).AddChain(new Chain(Ip, "t", "a")).AddChain(new Chain(Ip, "t", "b"))
              .AddChain(new Chain(Ip, "t", "c") { Base = new BaseChainSpec(ChainType.Nat, HookPoint.Prerouting, ChainPriority.DstNat) })
              .AddSet(vips).AddSet(services).AddSet(anonymous)
              .AddElements(vips, [new SetElement(SetKey.Ipv4(IPAddress.Parse("198.18.0.9")))])
              .AddElements(anonymous, [SetElement.WithVerdict(SetKey.Number(0), Verdict.GoTo("a")), SetElement.WithVerdict(SetKey.Number(1), Verdict.GoTo("b"))])
              .AddRule(new Rule(Ip, "t", "c", [PayloadExpression.Ipv4Source(), new LookupExpression("vips", Inverted: true), ImmediateExpression.Of(Verdict.Accept)]))
              .AddRule(new Rule(Ip, "t", "c", [PayloadExpression.Ipv4Destination(), new LookupExpression("vips"), new CounterExpression()]))
              .AddRule(new Rule(Ip, "t", "c", [PayloadExpression.Ipv4Destination(), new MetaExpression(MetaKey.L4Proto, Registers.Reg32(1)), PayloadExpression.TransportDestinationPort(Registers.Reg32(2)), LookupExpression.VerdictMap("services")]))
              .AddRule(new Rule(Ip, "t", "a", [new NumgenExpression(NumgenType.Random, 2), LookupExpression.VerdictMap("__map1")]));
        });
        string listing = _ns.Exec("nft", "list", "table", "ip", "t");
        Assert.Contains("ip saddr != @vips accept", listing, StringComparison.Ordinal);
        Assert.Contains("ip daddr @vips counter", listing, StringComparison.Ordinal);
        Assert.Contains("ip daddr . meta l4proto . th dport vmap @services", listing, StringComparison.Ordinal);
        Assert.Contains("numgen random mod 2 vmap { 0 : goto a, 1 : goto b }", listing, StringComparison.Ordinal);
        IReadOnlyList<Rule> rules = _nft.ListRules(Ip, "t", "c");
        Assert.True(((LookupExpression)rules[0].Expressions[1]).Inverted);
        Assert.Equal(Registers.Verdict, ((LookupExpression)rules[2].Expressions[3]).DestinationRegister);
    }

    [Fact]
    public void A_failing_operation_is_named_and_nothing_of_the_transaction_is_applied()
    {
        Commit(tx => tx.AddTable(new Table(Ip, "t")).AddChain(new Chain(Ip, "t", "c")));
        using var tx = new Transaction();
        tx.AddChain(new Chain(Ip, "t", "new-chain"))
          .AddRule(new Rule(Ip, "t", "c", [new CounterExpression()]))
          .AddRule(new Rule(Ip, "t", "missing", [new CounterExpression()]))
          .AddRule(new Rule(Ip, "t", "c", [new CounterExpression()]));
        NetlinkBatchException e = Assert.Throws<NetlinkBatchException>(() => _nft.Commit(tx));
        Assert.Equal(Errno.ENOENT, e.ErrorNumber);
        Assert.Equal(3, e.FailedIndex);
        Assert.StartsWith("add rule in ip t missing: No such file or directory (ENOENT)", e.Message, StringComparison.Ordinal);
        Assert.Equal(["c"], _nft.ListChains(Ip, "t").Select(c => c.Name));
        Assert.Empty(_nft.ListRules(Ip, "t"));

        using var again = new Transaction();
        again.AddTable(new Table(Ip, "t"), exclusive: true);
        e = Assert.Throws<NetlinkBatchException>(() => _nft.Commit(again));
        Assert.Equal(Errno.EEXIST, e.ErrorNumber);
        Assert.StartsWith("add table ip t: File exists (EEXIST)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_generation_guard_refuses_a_stale_transaction_and_the_retrying_commit_rebuilds()
    {
        uint before = _nft.GetGeneration();
        Commit(tx => tx.AddTable(new Table(Ip, "t")));
        uint after = _nft.GetGeneration();
        Assert.NotEqual(before, after);

        using (var stale = new Transaction(before))
        {
            stale.AddChain(new Chain(Ip, "t", "stale"));
            RulesetChangedException e = Assert.Throws<RulesetChangedException>(() => _nft.Commit(stale));
            Assert.Equal(before, e.Generation);
            Assert.Contains("changed", e.Message, StringComparison.Ordinal);
        }
        Assert.Empty(_nft.ListChains(Ip, "t"));

        // A build that races with another writer on its first attempt succeeds on the second.
        int attempts = 0;
        _nft.Commit(tx =>
        {
            if (attempts++ == 0)
            {
                _ns.Exec("nft", "add", "chain", "ip", "t", "concurrent");
            }
            tx.AddChain(new Chain(Ip, "t", "guarded"));
        });
        Assert.Equal(2, attempts);
        Assert.Equal(["concurrent", "guarded"], _nft.ListChains(Ip, "t").Select(c => c.Name).Order(StringComparer.Ordinal));

        // One that always races gives up after the bound, clearly.
        RulesetChangedException last = Assert.Throws<RulesetChangedException>(() => _nft.Commit(tx =>
        {
            _ns.Exec("nft", "add", "chain", "ip", "t", "c" + Guid.NewGuid().ToString("N")[..8]);
            tx.AddChain(new Chain(Ip, "t", "never"));
        }, maxAttempts: 3));
        Assert.Equal(3, last.Attempts);
        Assert.DoesNotContain(_nft.ListChains(Ip, "t"), c => c.Name == "never");
    }

    [Fact]
    public void One_hundred_thousand_elements_commit_in_one_transaction()
    {
        NftSet set = new(Ip, "t", "big", SetType.Concat(SetType.Ipv4Address, SetType.InetProto, SetType.InetService)) { DataType = SetType.Verdict };
        using var tx = new Transaction();
        tx.AddTable(new Table(Ip, "t")).AddChain(new Chain(Ip, "t", "svc")).AddSet(set);
        tx.AddElements(set, Enumerable.Range(0, 100_000).Select(i =>
            SetElement.WithVerdict(SetKey.Concat(SetKey.Ipv4(new IPAddress(new byte[] { 198, 18, (byte)(i >> 8), (byte)i })), SetKey.Protocol(ProtocolType.Tcp), SetKey.Port((ushort)(80 + (i >> 16)))), Verdict.GoTo("svc"))));
        Assert.True(tx.Length > 1 << 20, $"{tx.Length} bytes");
        _nft.Commit(tx);
        Assert.Equal(100_000, _nft.ListElements(Ip, "t", "big").Count);
        string count = _ns.Exec("sh", "-c", "nft list map ip t big | grep -o 'goto svc' | wc -l");
        Assert.Equal("100000", count.Trim());
    }

    [Fact]
    public void Rules_written_by_other_tools_are_listed_with_unknown_expressions_kept_opaque_and_written_back()
    {
        _ns.Exec("nft", "add table ip t; add chain ip t c; add rule ip t c tcp option maxseg size 1200 tcp flags syn / syn,ack counter quota 10 mbytes fib daddr type local accept comment \"keep\"");
        Rule original = Assert.Single(_nft.ListRules(Ip, "t", "c"));
        Assert.Contains(original.Expressions, e => e is OpaqueExpression);
        Assert.Equal("keep", original.Comment);
        string before = _ns.Exec("nft", "list", "chain", "ip", "t", "c");

        Commit(tx => tx.FlushChain(Ip, "t", "c").AddRule(original with { Handle = 0 }));
        string after = _ns.Exec("nft", "list", "chain", "ip", "t", "c");
        Assert.Equal(before, after);
    }

    private static IEnumerable<Expression> TcpDport(ushort port) =>
        [new MetaExpression(MetaKey.L4Proto), CmpExpression.Equal(SetKey.Protocol(ProtocolType.Tcp)), PayloadExpression.TransportDestinationPort(), CmpExpression.Equal(SetKey.Port(port))];

    private static byte[] IfName(string name)
    {
        byte[] bytes = new byte[16];
        System.Text.Encoding.ASCII.GetBytes(name, bytes);
        return bytes;
    }

    private static string FamilyName(TableFamily family) => family switch
    {
        TableFamily.IPv4 => "ip",
        TableFamily.IPv6 => "ip6",
        TableFamily.Inet => "inet",
        _ => family.ToString(),
    };
}
