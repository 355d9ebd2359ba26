// nft-bench SERVICES DESTS NETNS [single|staged]: commits the ruleset that ../shared/bench/gen-nft.py SERVICES DESTS
// describes, through the library, inside the named network namespace, and prints the commit time (from the first
// message sent to the last ack) as "library: commit_s=... encode_s=... transactions=...".
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Netlink;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Expressions;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: nft-bench SERVICES DESTS NETNS [single|staged]");
    return 2;
}
int services = int.Parse(args[0], CultureInfo.InvariantCulture);
int dests = int.Parse(args[1], CultureInfo.InvariantCulture);
string strategy = args.Length > 3 ? args[3] : "staged";
using var client = NfTablesClient.Open(new NfTablesClientOptions { Namespace = NetworkNamespace.FromName(args[2]) });

int perStage = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 4096;
var encode = Stopwatch.StartNew();
using var staged = new StagedTransaction(perStage);
if (strategy == "single")
{
    BenchRuleset.Single(staged.Activation, services, dests);
}
else
{
    BenchRuleset.Staged(staged, services, dests);
}
encode.Stop();
var commit = Stopwatch.StartNew();
client.Commit(staged);
commit.Stop();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"library: commit_s={commit.Elapsed.TotalSeconds:F4} encode_s={encode.Elapsed.TotalSeconds:F4} transactions={staged.Stages.Count + 1} bytes={staged.Length} strategy={strategy}"));
return 0;

/// <summary>The gen-nft.py ruleset as library transactions.</summary>
internal static class BenchRuleset
{
    private const TableFamily Ip = TableFamily.IPv4;
    private const string Table = "bench";

    /// <summary>Everything in one transaction, in the order nft sends it.</summary>
    public static void Single(Transaction tx, int n, int d)
    {
        tx.AddTable(new Table(Ip, Table));
        AddChains(tx, n, d);
        AddEndpointsAndServices(_ => tx, n, d);
        AddServiceMap(tx, n);
        AddHook(tx);
    }

    /// <summary>
    /// The same ruleset staged: the table, the chains, their rules and the maps in small transactions, none of it
    /// reachable from a hook, then the hooked base chain in the activation transaction that makes all of it live at
    /// once. Traffic sees the old ruleset until the activation commits and the whole new one after: never a mix.
    /// </summary>
    public static void Staged(StagedTransaction staged, int n, int d)
    {
        staged.Stage().AddTable(new Table(Ip, Table));
        AddChains(staged.Stage(), n, d);
        AddEndpointsAndServices(_ => staged.Stage(), n, d);
        AddServiceMap(staged.Stage(), n);
        AddHook(staged.Activation);
    }

    private static void AddChains(Transaction tx, int n, int d)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                tx.AddChain(new Chain(Ip, Table, $"ep-{i}-{j}"));
            }
            tx.AddChain(new Chain(Ip, Table, $"svc-{i}"));
        }
        tx.AddChain(new Chain(Ip, Table, "services"));
    }

    private static void AddEndpointsAndServices(Func<int, Transaction> stage, int n, int d)
    {
        byte[] tcp = SetKey.Protocol(ProtocolType.Tcp);
        var l4proto = new MetaExpression(MetaKey.L4Proto);
        var isTcp = CmpExpression.Equal(tcp);
        var dnat = new NatExpression(NatType.Dnat, TableFamily.IPv4) { AddressMinRegister = Registers.R1, ProtoMinRegister = Registers.R2, Flags = NatFlags.ProtoSpecified };
        var numgen = new NumgenExpression(NumgenType.Random, (uint)Math.Max(d, 1));
        var elements = new SetElement[d];
        for (int i = 0; i < n; i++)
        {
            Transaction tx = stage(i);
            if (d == 0)
            {
                tx.AddRule(new Rule(Ip, Table, $"svc-{i}", [new CounterExpression()]));
                continue;
            }
            for (int j = 0; j < d; j++)
            {
                int k = i * d + j;
                byte[] address = [198, 19, (byte)((k / 250) % 256), (byte)(k % 250 + 1)];
                tx.AddRule(new Rule(Ip, Table, $"ep-{i}-{j}", [l4proto, isTcp, ImmediateExpression.Of(Registers.R1, address),
                    ImmediateExpression.Of(Registers.R2, SetKey.Port((ushort)(8000 + k / 64000))), dnat]));
                elements[j] = SetElement.WithVerdict(SetKey.Number((uint)j), Verdict.GoTo($"ep-{i}-{j}"));
            }
            // The anonymous map of `numgen random mod d vmap { ... }`, named here rather than by the kernel ("__map%d"
            // makes the kernel scan every set of the table for a free number, which is quadratic over 10,000 maps).
            var map = new NftSet(Ip, Table, "__map" + i.ToString(CultureInfo.InvariantCulture), SetType.Number)
            {
                DataType = SetType.Verdict,
                Flags = SetFlags.Anonymous | SetFlags.Constant,
                Size = (uint)d,
            };
            tx.AddSet(map).AddElements(map, elements);
            tx.AddRule(new Rule(Ip, Table, $"svc-{i}", [numgen, LookupExpression.VerdictMap(map.Name)]));
        }
    }

    private static void AddServiceMap(Transaction tx, int n)
    {
        var map = new NftSet(Ip, Table, "service-ips", SetType.Concat(SetType.Ipv4Address, SetType.InetProto, SetType.InetService)) { DataType = SetType.Verdict };
        tx.AddSet(map);
        byte[] tcp = SetKey.Protocol(ProtocolType.Tcp);
        byte[] port = SetKey.Port(80);
        tx.AddElements(map, Enumerable.Range(0, n).Select(i => SetElement.WithVerdict(
            SetKey.Concat([198, 18, (byte)(i / 250), (byte)(i % 250 + 1)], tcp, port), Verdict.GoTo($"svc-{i}"))));
        tx.AddRule(new Rule(Ip, Table, "services", [PayloadExpression.Ipv4Destination(), new MetaExpression(MetaKey.L4Proto, Registers.Reg32(1)),
            PayloadExpression.TransportDestinationPort(Registers.Reg32(2)), LookupExpression.VerdictMap("service-ips")]));
    }

    private static void AddHook(Transaction tx)
    {
        tx.AddChain(new Chain(Ip, Table, "prerouting") { Base = new BaseChainSpec(ChainType.Nat, HookPoint.Prerouting, ChainPriority.DstNat) });
        tx.AddRule(new Rule(Ip, Table, "prerouting", [ImmediateExpression.Of(Verdict.JumpTo("services"))]));
    }
}
