using System.Net;
using System.Net.Sockets;
using System.Text;
using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.IpvsCore;

/// <summary>
/// Real traffic through a masquerade virtual service: client namespace -> node namespace (the director, holding
/// the virtual IP) -> server namespace, joined by veth pairs. The library then reads the counters it moved.
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class IpvsTrafficTests
{
    private static readonly IPAddress Vip = IPAddress.Parse("198.18.0.1");
    private static readonly IPAddress ClientIp = IPAddress.Parse("198.18.1.2");
    private static readonly IPAddress ServerIp = IPAddress.Parse("198.18.2.2");

    [Fact]
    public void MasqueradeService_CarriesRequests_AndTheLibraryReadsTheCounters()
    {
        using TestNamespace client = TestNamespace.Create(routeTestRanges: false);
        using TestNamespace node = TestNamespace.Create(routeTestRanges: false);
        using TestNamespace server = TestNamespace.Create(routeTestRanges: false);
        Wire(client, "c0", ClientIp, node, "n0", "198.18.1.1");
        Wire(server, "s0", ServerIp, node, "n1", "198.18.2.1");
        client.Exec("ip", "route", "add", "default", "via", "198.18.1.1");
        server.Exec("ip", "route", "add", "default", "via", "198.18.2.1");
        node.Exec("ip", "addr", "add", "198.18.0.1/32", "dev", "lo");
        node.Exec("sysctl", "-qw", "net.ipv4.ip_forward=1");

        using IpvsClient ipvs = IpvsClient.Open(new IpvsClientOptions { Namespace = node.Namespace });
        var key = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, Vip, 80);
        ipvs.AddService(new VirtualService(key) { Scheduler = "rr" });
        ipvs.AddRealServer(key, new RealServer(ServerIp, 8080) { Forwarding = ForwardingMethod.Masquerade });

        // Sockets belong to the namespace they were created in, whichever thread uses them afterwards.
        using TcpListener listener = server.Namespace.RunInside(() =>
        {
            var l = new TcpListener(IPAddress.Any, 8080);
            l.Start();
            return l;
        });
        const int requests = 3;
        Exception? serverFailure = null;
        var serving = new Thread(() =>
        {
            try
            {
            for (int i = 0; i < requests; i++)
            {
                using TcpClient accepted = listener.AcceptTcpClient();
                using NetworkStream stream = accepted.GetStream();
                var buffer = new byte[64];
                int read = stream.Read(buffer);
                byte[] reply = Encoding.ASCII.GetBytes("pong:" + Encoding.ASCII.GetString(buffer, 0, read));
                stream.Write(reply);
            }
            }
            catch (IOException e)
            {
                serverFailure = e;
            }
            catch (SocketException e)
            {
                serverFailure = e;
            }
        }) { IsBackground = true };
        serving.Start();

        for (int i = 0; i < requests; i++)
        {
            using Socket socket = client.Namespace.RunInside(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            socket.ReceiveTimeout = 10_000;
            socket.Connect(new IPEndPoint(Vip, 80));
            socket.Send(Encoding.ASCII.GetBytes("ping" + i));
            var buffer = new byte[64];
            int read = socket.Receive(buffer);
            Assert.Equal("pong:ping" + i, Encoding.ASCII.GetString(buffer, 0, read));
            // The client saw the virtual IP, the server saw the client: masquerade rewrote only the destination.
            Assert.Equal(new IPEndPoint(Vip, 80), socket.RemoteEndPoint);
        }
        Assert.True(serving.Join(TimeSpan.FromSeconds(30)), "server did not finish");
        Assert.Null(serverFailure);

        // The kernel sums its per-CPU counters in the rate estimator, every 2 s, so the totals lag the traffic.
        IpvsServiceEntry entry = Assert.Single(ipvs.GetTable());
        for (int wait = 0; wait < 40 && entry.Service.Statistics!.Value.Connections < requests; wait++)
        {
            Thread.Sleep(500);
            entry = Assert.Single(ipvs.GetTable());
        }
        IpvsStatistics serviceStats = entry.Service.Statistics!.Value;
        Assert.Equal((ulong)requests, serviceStats.Connections);
        Assert.True(serviceStats.IncomingPackets >= requests * 3, $"incoming packets {serviceStats.IncomingPackets}");
        Assert.True(serviceStats.OutgoingPackets >= requests * 2, $"outgoing packets {serviceStats.OutgoingPackets}");
        Assert.True(serviceStats.IncomingBytes > 0 && serviceStats.OutgoingBytes > 0);
        ObservedRealServer backend = Assert.Single(entry.RealServers);
        Assert.Equal((ulong)requests, backend.Statistics!.Value.Connections);
        Assert.True(backend.ActiveConnections + backend.InactiveConnections > 0, "no connections counted on the real server");

        IReadOnlyList<IpvsConnection> connections = ConnectionTable.Read(node.Namespace);
        Assert.Contains(connections, c => c.Protocol == "TCP" && c.ClientAddress.Equals(ClientIp) && c.VirtualAddress.Equals(Vip)
            && c.VirtualPort == 80 && c.RealServerAddress.Equals(ServerIp) && c.RealServerPort == 8080);
    }

    private static void Wire(TestNamespace a, string aName, IPAddress aAddress, TestNamespace b, string bName, string bAddress)
    {
        TestNamespace.Run("ip", "link", "add", aName, "netns", a.Name, "type", "veth", "peer", "name", bName, "netns", b.Name);
        a.Exec("ip", "addr", "add", aAddress + "/24", "dev", aName);
        a.Exec("ip", "link", "set", aName, "up");
        b.Exec("ip", "addr", "add", bAddress + "/24", "dev", bName);
        b.Exec("ip", "link", "set", bName, "up");
    }
}
