using Netlink.Ipvs.Codec;
using Netlink.Testing;
using ServiceProxy.Reconciling;

namespace Netlink.Tests.Faults;

/// <summary>
/// A reply cut short (a message longer than its datagram), an attribute longer than its message, and a datagram larger
/// than the receive buffer (MSG_TRUNC), under a full sync: one log line saying the message was malformed and how, no
/// change made from what was read, and the next sync converges.
/// </summary>
public sealed class MalformedReplyFaultTests
{
    public static TheoryData<string, string> Faults => new()
    {
        { "cut", "malformed netlink message: message length " },
        { "stretched attribute", "malformed netlink message: " },
        { "oversized", "malformed netlink message: a 70000-byte datagram exceeded the 7872-byte receive buffer and was truncated" },
    };

    private static void Inject(FaultyTransport socket, string fault, int skip)
    {
        switch (fault)
        {
            case "cut":
                socket.TamperReceive(FaultyTransport.CutShort(8), skip);
                break;
            case "stretched attribute":
                socket.TamperReceive(FaultyTransport.StretchFirstAttribute(), skip);
                break;
            default:
                socket.OversizeReceive(70000, 8192 - 320, skip);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void AMalformedDatagramMidServiceDump_FailsTheSync_AndTheNextSyncConverges(string fault, string expected)
    {
        using var node = new FaultyNode();
        IReadOnlyList<string> before = node.WantServices(12);
        node.GoodSync(SyncKind.Full);
        IReadOnlyList<string> wanted = node.WantServices(12, firstPod: 5);
        long changes = node.Kernel.ChangeCount;
        node.Socket.WhenSent(m => FaultyNode.IsDump(m, IpvsConstants.CmdGetService), s => Inject(s, fault, skip: 1));

        string line = node.FailingSync(SyncKind.Full);

        Assert.Equal(1, node.Socket.Injected);
        Assert.Contains(" and 0 changes: " + expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        Assert.Equal(changes, node.Kernel.ChangeCount);
        Assert.Equal(before, node.Table());

        node.GoodSync();
        Assert.Equal(wanted, node.Table());
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void AMalformedRealServerDump_FailsTheSync_AndTheNextSyncConverges(string fault, string expected)
    {
        using var node = new FaultyNode();
        node.WantServices(4);
        node.GoodSync(SyncKind.Full);
        IReadOnlyList<string> wanted = node.WantServices(4, firstPod: 5);
        // the third service's real servers: two were read whole before it
        int destDumps = 0;
        node.Socket.WhenSent(m => FaultyNode.IsDump(m, IpvsConstants.CmdGetService), s =>
            s.WhenSent(m => FaultyNode.IsDump(m, IpvsConstants.CmdGetDest) && ++destDumps == 3, t => Inject(t, fault, skip: 0)));

        string line = node.FailingSync(SyncKind.Full);

        Assert.Contains(expected, line, StringComparison.Ordinal);
        node.GoodSync();
        Assert.Equal(wanted, node.Table());
    }
}
