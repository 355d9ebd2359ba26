using System.Net;
using System.Net.Sockets;
using Netlink.NativeTests.Infrastructure;
using Netlink.Netfilter.Conntrack;

namespace Netlink.NativeTests.Conntrack;

/// <summary>Conntrack entries made by real UDP flows between two namespaces, listed and deleted by filter.</summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class ConntrackClientTests : IDisposable
{
    private static readonly IPAddress Sender = IPAddress.Parse("198.18.5.1");
    private static readonly IPAddress Receiver = IPAddress.Parse("198.18.5.2");
    private readonly TestNamespace _a = TestNamespace.Create(routeTestRanges: false);
    private readonly TestNamespace _b = TestNamespace.Create(routeTestRanges: false);

    public ConntrackClientTests()
    {
        TestNamespace.Run("ip", "link", "add", "ct-a", "netns", _a.Name, "type", "veth", "peer", "name", "ct-b", "netns", _b.Name);
        _a.Exec("ip", "addr", "add", "198.18.5.1/24", "dev", "ct-a");
        _a.Exec("ip", "link", "set", "ct-a", "up");
        _b.Exec("ip", "addr", "add", "198.18.5.2/24", "dev", "ct-b");
        _b.Exec("ip", "link", "set", "ct-b", "up");
        // Conntrack only tracks a namespace once something there uses it: a rule matching on ct state.
        _b.Exec("nft", "add table inet cttest");
        _b.Exec("nft", "add chain inet cttest input { type filter hook input priority 0; }");
        _b.Exec("nft", "add rule inet cttest input ct state new accept");
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    private void SendUdp(ushort sourcePort, ushort destinationPort)
    {
        using UdpClient client = _a.Namespace.RunInside(() => new UdpClient(new IPEndPoint(Sender, sourcePort)));
        client.Send([1, 2, 3], new IPEndPoint(Receiver, destinationPort));
    }

    [Fact]
    public void UdpFlows_AreListed_DeletedByFilter_AndFlushed()
    {
        for (ushort port = 40001; port <= 40003; port++)
        {
            SendUdp(port, 5353);
        }
        SendUdp(40009, 9999);
        using ConntrackClient conntrack = ConntrackClient.Open(new ConntrackClientOptions { Namespace = _b.Namespace });

        // The datagrams may still be in flight on the veth; give the receiver a moment.
        var toService = new ConntrackFilter { Protocol = 17, OriginalDestination = Receiver, OriginalDestinationPort = 5353 };
        IReadOnlyList<ConntrackEntry> entries = [];
        for (int wait = 0; wait < 50 && entries.Count < 3; wait++)
        {
            Thread.Sleep(20);
            entries = conntrack.List(toService);
        }
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.Equal(Sender, e.Original.Source);
            Assert.InRange(e.Original.SourcePort, (ushort)40001, (ushort)40003);
            Assert.Equal(Receiver, e.Reply!.Source);
            Assert.Equal((ushort)5353, e.Reply.SourcePort);
            Assert.True(e.TimeoutSeconds > 0);
        });
        string byTool = _b.Exec("conntrack", "-L", "-p", "udp", "--dport", "5353");
        Assert.Equal(3, byTool.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("udp", StringComparison.Ordinal)));

        // Delete the flows whose replies come from 198.18.5.2:5353, as when that real server is removed.
        Assert.Equal(3, conntrack.Delete(new ConntrackFilter { Protocol = 17, ReplySource = Receiver, ReplySourcePort = 5353 }));
        Assert.Empty(conntrack.List(toService));
        ConntrackEntry other = Assert.Single(conntrack.List(new ConntrackFilter { Protocol = 17 }));
        Assert.Equal((ushort)9999, other.Original.DestinationPort);

        conntrack.Flush();
        Assert.Empty(conntrack.List());
        Assert.DoesNotContain("udp", _b.Exec("conntrack", "-L"), StringComparison.Ordinal);
    }
}
