using Netlink.Ipvs.Codec;
using ServiceProxy.Reconciling;

namespace Netlink.Tests.Faults;

/// <summary>
/// A receive or send that fails with an errno (EINTR, EAGAIN, ENOBUFS) under a sync of ipvsd's reconciler: the sync
/// fails with one log line naming the errno, applies nothing from a half-read table, gives up that socket, and the
/// next sync converges on a new one.
/// </summary>
public sealed class ReceiveErrnoFaultTests
{
    public static TheoryData<int, string> Failures => new()
    {
        // NetlinkSocket retries EINTR itself; a transport that lets one through fails the operation plainly.
        { Errno.EINTR, "receive from kernel: Interrupted system call (EINTR)" },
        // EAGAIN is what recv gives when SO_RCVTIMEO expires: the socket reports it as a timeout.
        { Errno.EAGAIN, "receive from kernel: Connection timed out (ETIMEDOUT). no reply within the receive timeout" },
        { Errno.ENOBUFS, "receive from kernel: No buffer space available (ENOBUFS). the socket receive buffer overflowed and replies were lost" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void AFailedReceiveMidDump_FailsTheSyncWithoutChangingAnything_AndTheNextSyncConverges(int errno, string expected)
    {
        using var node = new FaultyNode();
        IReadOnlyList<string> wanted = node.WantServices(12);
        node.GoodSync(SyncKind.Full);
        node.WantServices(12, firstPod: 5); // every real server replaced: a full sync that read half the table would still plan
        long changes = node.Kernel.ChangeCount;
        // the second datagram of the service dump: the first was already handed over
        node.Socket.WhenSent(m => FaultyNode.IsDump(m, IpvsConstants.CmdGetService), s => s.FailReceive(errno, skip: 1));

        string line = node.FailingSync(SyncKind.Full);

        Assert.Equal(1, node.Socket.Injected);
        Assert.StartsWith("sync full failed after ", line, StringComparison.Ordinal);
        Assert.Contains(" and 0 changes: " + expected, line, StringComparison.Ordinal);
        Assert.EndsWith("; the next sync reads the kernel whole", line, StringComparison.Ordinal);
        Assert.Equal(changes, node.Kernel.ChangeCount);
        Assert.Equal(wanted, node.Table());

        node.GoodSync();
        Assert.Equal(2, node.SocketsOpened);
        Assert.Equal(node.WantServices(12, firstPod: 5), node.Table());
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void AFailedReceiveOfABatchsAck_FailsTheSync_AndTheNextSyncFindsTheChangesMade(int errno, string expected)
    {
        using var node = new FaultyNode();
        node.WantServices(3);
        node.GoodSync(SyncKind.Full);
        IReadOnlyList<string> wanted = node.WantServices(3, firstPod: 7);
        node.Socket.WhenSent(FaultyNode.IsChange, s => s.FailReceive(errno));

        string line = node.FailingSync();

        Assert.Contains(expected, line, StringComparison.Ordinal);
        // the kernel made the changes; only the answer was lost, so the next sync reads them back and has nothing to do
        Assert.Equal(wanted, node.Table());
        SyncReport next = node.GoodSync();
        Assert.Equal(SyncKind.Full, next.Kind);
        Assert.Empty(next.Changes);
        Assert.Equal(wanted, node.Table());
    }

    [Fact]
    public void AnInterruptedSend_ReachesNoKernel_AndTheNextSyncMakesTheChanges()
    {
        using var node = new FaultyNode();
        IReadOnlyList<string> before = node.WantServices(2);
        node.GoodSync(SyncKind.Full);
        IReadOnlyList<string> wanted = node.WantServices(2, firstPod: 7);
        node.Socket.FailSend(Errno.EINTR);

        string line = node.FailingSync();

        Assert.Contains("and 0 changes: send to kernel: Interrupted system call (EINTR)", line, StringComparison.Ordinal);
        Assert.Equal(before, node.Table());
        Assert.Equal(8, node.GoodSync().Changes.Count);
        Assert.Equal(wanted, node.Table());
    }
}
