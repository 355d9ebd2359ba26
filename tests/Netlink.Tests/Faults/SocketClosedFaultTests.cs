using Netlink.Ipvs;
using Netlink.Ipvs.Codec;
using Netlink.Testing;
using Netlink.Tests.ServiceProxy.Reconciling;
using ServiceProxy.Reconciling;
using static Netlink.Tests.ServiceProxy.Planning.TableBuilder;

namespace Netlink.Tests.Faults;

/// <summary>
/// The socket closed under a dump or a batch (disposed, or its descriptor gone: EBADF), and a dump left half-read: the
/// sync fails with one log line, and the next sync opens a new socket (as ipvsd's NodeSession does) and converges.
/// </summary>
public sealed class SocketClosedFaultTests
{
    [Fact]
    public void TheSocketClosedUnderAServiceDump_FailsTheSyncOnOneLine_AndTheNextSyncReopensAndConverges()
    {
        using var node = new FaultyNode();
        node.WantServices(12);
        node.GoodSync(SyncKind.Full);
        IReadOnlyList<string> wanted = node.WantServices(12, firstPod: 5);
        FaultyTransport first = node.Socket;
        first.WhenSent(m => FaultyNode.IsDump(m, IpvsConstants.CmdGetService), s => s.CloseAtReceive(skip: 1));

        string line = node.FailingSync(SyncKind.Full);

        Assert.True(first.IsClosed);
        Assert.Contains(" and 0 changes: Cannot access a disposed object. Object name: 'Netlink.Testing.FaultyTransport'.", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        node.GoodSync();
        Assert.NotSame(first, node.Socket);
        Assert.Equal(2, node.SocketsOpened);
        Assert.Equal(wanted, node.Table());
    }

    [Fact]
    public void ADescriptorGoneUnderABatch_FailsTheSync_AndTheNextSyncReopensAndFindsTheChangesMade()
    {
        using var node = new FaultyNode();
        node.WantServices(3);
        node.GoodSync(SyncKind.Full);
        IReadOnlyList<string> wanted = node.WantServices(3, firstPod: 5);
        node.Socket.WhenSent(FaultyNode.IsChange, s => s.FailReceive(Errno.EBADF));

        string line = node.FailingSync();

        Assert.Contains("receive from kernel: Bad file descriptor (EBADF)", line, StringComparison.Ordinal);
        SyncReport next = node.GoodSync();
        Assert.Equal(2, node.SocketsOpened);
        Assert.Empty(next.Changes);
        Assert.Equal(wanted, node.Table());
    }

    /// <summary>
    /// Why the socket must be replaced: the kernel goes on with a dump only as its datagrams are read, and refuses
    /// another dump on that socket (EBUSY) while it runs. A reconciler that kept its socket fails its next sync too.
    /// </summary>
    [Fact]
    public void ADumpLeftHalfRead_MakesTheNextDumpOnThatSocketBusy()
    {
        var kernel = new FakeIpvsKernel(new FakeIpvsKernelOptions { DumpDatagramSize = 512 });
        var socket = new FaultyTransport(kernel.OpenSocket());
        using IpvsClient client = IpvsClient.Open(new NetlinkConnection(socket));
        var reconciler = new ServiceReconciler(client, new MemoryOwnershipStore());
        reconciler.SetDesired([.. Enumerable.Range(1, 12).Select(i => Entry(
            Service(Tcp($"198.18.97.{i}", 80))))], []);
        Assert.True(reconciler.Sync(SyncKind.Full).Succeeded);
        socket.WhenSent(m => FaultyNode.IsDump(m, IpvsConstants.CmdGetService), s => s.TamperReceive(FaultyTransport.CutShort(8)));

        Assert.IsType<NetlinkProtocolException>(reconciler.Sync(SyncKind.Full).Error);
        SyncReport next = reconciler.Sync(SyncKind.Full);

        NetlinkException busy = Assert.IsType<NetlinkException>(next.Error);
        Assert.Equal("list virtual services: Device or resource busy (EBUSY)", busy.Message);
    }
}
