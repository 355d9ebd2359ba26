using System.Net;
using System.Net.Sockets;
using System.Text;
using Netlink.NativeTests.Infrastructure;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Expressions;

namespace Netlink.NativeTests.NfTables;

/// <summary>
/// Real TCP traffic DNATed by rules the library wrote: client namespace -> node namespace (a verdict map of services
/// picks a service chain, whose numgen verdict map picks an endpoint chain, which DNATs) -> two server namespaces,
/// all joined by veth pairs. Then the service is moved to one server in one transaction and traffic follows.
/// </summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class NfTablesNatTrafficTests : IDisposable
{
    private const TableFamily Ip = TableFamily.IPv4;
    private static readonly IPAddress Vip = IPAddress.Parse("198.18.0.10");
    private readonly TestNamespace _client = TestNamespace.Create(routeTestRanges: false);
    private readonly TestNamespace _node = TestNamespace.Create(routeTestRanges: false);
    private readonly TestNamespace _server1 = TestNamespace.Create(routeTestRanges: false);
    private readonly TestNamespace _server2 = TestNamespace.Create(routeTestRanges: false);

    public void Dispose()
    {
        _client.Dispose();
        _node.Dispose();
        _server1.Dispose();
        _server2.Dispose();
    }

    [Fact]
    public void Numgen_verdict_map_spreads_connections_over_two_servers_and_an_atomic_update_moves_them()
    {
        Wire(_client, "c0", "198.18.1.2", _node, "n0", "198.18.1.1");
        Wire(_server1, "s1", "198.18.2.2", _node, "n1", "198.18.2.1");
        Wire(_server2, "s2", "198.18.3.2", _node, "n2", "198.18.3.1");
        _client.Exec("ip", "route", "add", "default", "via", "198.18.1.1");
        _server1.Exec("ip", "route", "add", "default", "via", "198.18.2.1");
        _server2.Exec("ip", "route", "add", "default", "via", "198.18.3.1");
        _node.Exec("sysctl", "-qw", "net.ipv4.ip_forward=1");

        using NfTablesClient nft = NfTablesClient.Open(new NfTablesClientOptions { Namespace = _node.Namespace });
        var services = new NftSet(Ip, "lb", "services", SetType.Concat(SetType.Ipv4Address, SetType.InetProto, SetType.InetService)) { DataType = SetType.Verdict };
        var endpoints = new NftSet(Ip, "lb", "__map0", SetType.Number) { DataType = SetType.Verdict, Flags = SetFlags.Anonymous | SetFlags.Constant };
        byte[] serviceKey = SetKey.Concat(SetKey.Ipv4(Vip), SetKey.Protocol(ProtocolType.Tcp), SetKey.Port(80));
        using (var tx = new Transaction())
        {
            tx.AddTable(new Table(Ip, "lb"))
              .AddChain(new Chain(Ip, "lb", "ep-1")).AddChain(new Chain(Ip, "lb", "ep-2")).AddChain(new Chain(Ip, "lb", "svc")).AddChain(new Chain(Ip, "lb", "services"))
              .AddChain(new Chain(Ip, "lb", "prerouting") { Base = new BaseChainSpec(ChainType.Nat, HookPoint.Prerouting, ChainPriority.DstNat) })
              .AddRule(new Rule(Ip, "lb", "ep-1", Dnat("198.18.2.2", 8080)))
              .AddRule(new Rule(Ip, "lb", "ep-2", Dnat("198.18.3.2", 8080)))
              .AddSet(endpoints)
              .AddElements(endpoints, [SetElement.WithVerdict(SetKey.Number(0), Verdict.GoTo("ep-1")), SetElement.WithVerdict(SetKey.Number(1), Verdict.GoTo("ep-2"))])
              .AddRule(new Rule(Ip, "lb", "svc", [new NumgenExpression(NumgenType.Incremental, 2), LookupExpression.VerdictMap("__map0")]))
              .AddSet(services)
              .AddElements(services, [SetElement.WithVerdict(serviceKey, Verdict.GoTo("svc"))])
              .AddRule(new Rule(Ip, "lb", "services", [PayloadExpression.Ipv4Destination(), new MetaExpression(MetaKey.L4Proto, Registers.Reg32(1)),
                  PayloadExpression.TransportDestinationPort(Registers.Reg32(2)), LookupExpression.VerdictMap("services")]))
              .AddRule(new Rule(Ip, "lb", "prerouting", [ImmediateExpression.Of(Verdict.JumpTo("services"))]));
            nft.Commit(tx);
        }
        Assert.Contains("numgen inc mod 2 vmap { 0 : goto ep-1, 1 : goto ep-2 }", _node.Exec("nft", "list", "ruleset"), StringComparison.Ordinal);

        using var server1 = new Server(_server1, "server1");
        using var server2 = new Server(_server2, "server2");
        List<string> answers = [.. Enumerable.Range(0, 10).Select(i => Request("hello " + i))];
        Assert.Equal(5, answers.Count(a => a.StartsWith("server1:", StringComparison.Ordinal)));
        Assert.Equal(5, answers.Count(a => a.StartsWith("server2:", StringComparison.Ordinal)));
        Assert.All(answers.Select((a, i) => (a, i)), x => Assert.EndsWith(":hello " + x.i, x.a, StringComparison.Ordinal));

        // Point the service at server 2 alone, in one transaction: the old element out, the new one in.
        using (var tx = new Transaction())
        {
            tx.DeleteElements(Ip, "lb", "services", [new SetElement(serviceKey)])
              .AddElements(services, [SetElement.WithVerdict(serviceKey, Verdict.GoTo("ep-2"))]);
            nft.Commit(tx);
        }
        answers = [.. Enumerable.Range(0, 4).Select(i => Request("again " + i))];
        Assert.All(answers, a => Assert.StartsWith("server2:again ", a, StringComparison.Ordinal));
    }

    private static Expression[] Dnat(string address, ushort port) =>
    [
        new MetaExpression(MetaKey.L4Proto), CmpExpression.Equal(SetKey.Protocol(ProtocolType.Tcp)),
        ImmediateExpression.Of(Registers.R1, SetKey.Ipv4(IPAddress.Parse(address))), ImmediateExpression.Of(Registers.R2, SetKey.Port(port)),
        new NatExpression(NatType.Dnat, TableFamily.IPv4) { AddressMinRegister = Registers.R1, ProtoMinRegister = Registers.R2, Flags = NatFlags.ProtoSpecified },
    ];

    private string Request(string text)
    {
        // Sockets belong to the namespace they were created in, whichever thread uses them afterwards.
        using Socket socket = _client.Namespace.RunInside(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        socket.ReceiveTimeout = 10_000;
        socket.SendTimeout = 10_000;
        socket.Connect(new IPEndPoint(Vip, 80));
        // The client talks to the virtual IP; only the node knows where the connection really goes.
        Assert.Equal(new IPEndPoint(Vip, 80), socket.RemoteEndPoint);
        socket.Send(Encoding.ASCII.GetBytes(text));
        socket.Shutdown(SocketShutdown.Send);
        var reply = new MemoryStream();
        var buffer = new byte[256];
        int read;
        while ((read = socket.Receive(buffer)) > 0)
        {
            reply.Write(buffer, 0, read);
        }
        return Encoding.ASCII.GetString(reply.ToArray());
    }

    private static void Wire(TestNamespace a, string aName, string aAddress, TestNamespace b, string bName, string bAddress)
    {
        TestNamespace.Run("ip", "link", "add", aName, "netns", a.Name, "type", "veth", "peer", "name", bName, "netns", b.Name);
        a.Exec("ip", "addr", "add", aAddress + "/24", "dev", aName);
        a.Exec("ip", "link", "set", aName, "up");
        b.Exec("ip", "addr", "add", bAddress + "/24", "dev", bName);
        b.Exec("ip", "link", "set", bName, "up");
    }

    /// <summary>A TCP server on port 8080 inside a namespace, on its own thread: answers "name:" plus what it read.</summary>
    private sealed class Server : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly Thread _thread;

        public Server(TestNamespace ns, string name)
        {
            _listener = ns.Namespace.RunInside(() =>
            {
                var listener = new TcpListener(IPAddress.Any, 8080);
                listener.Start();
                return listener;
            });
            _thread = new Thread(() =>
            {
                try
                {
                    while (true)
                    {
                        using TcpClient accepted = _listener.AcceptTcpClient();
                        accepted.ReceiveTimeout = 10_000;
                        using NetworkStream stream = accepted.GetStream();
                        var request = new MemoryStream();
                        stream.CopyTo(request);
                        stream.Write(Encoding.ASCII.GetBytes(name + ":" + Encoding.ASCII.GetString(request.ToArray())));
                    }
                }
                catch (SocketException)
                {
                    // The listener was stopped.
                }
                catch (ObjectDisposedException)
                {
                }
            }) { IsBackground = true, Name = name };
            _thread.Start();
        }

        public void Dispose()
        {
            _listener.Stop();
            _thread.Join(TimeSpan.FromSeconds(10));
        }
    }
}
