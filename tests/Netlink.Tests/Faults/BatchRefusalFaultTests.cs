using ServiceProxy.Reconciling;

namespace Netlink.Tests.Faults;

/// <summary>
/// The kernel refuses one change in the middle of a batch sent many requests per send (ipvsd's way): the kernel goes on
/// with the rest of that send, the sync logs one line naming the refused change and errno, the socket is kept (a
/// refusal is an answer, not a broken socket), and the next sync reads the kernel and makes only what is missing.
/// </summary>
public sealed class BatchRefusalFaultTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(9)]
    public void ARefusalMidBatch_IsLoggedByStep_AndTheNextSyncConvergesWithTheOneMissingChange(int refusedStep)
    {
        using var node = new FaultyNode();
        IReadOnlyList<string> wanted = node.WantServices(3); // 9 changes: three services, then their two real servers each
        node.Kernel.RefuseChange(node.Kernel.ChangeCount + refusedStep, Errno.ENOMEM);

        string line = node.FailingSync(SyncKind.Full);

        Assert.Contains($" and {refusedStep - 1} changes: step {refusedStep} of 9 failed: ", line, StringComparison.Ordinal);
        Assert.Contains(": Cannot allocate memory (ENOMEM)", line, StringComparison.Ordinal);
        Assert.Equal(9, node.Kernel.ChangeCount); // the rest of the send was processed too
        Assert.Equal(1, node.SocketsOpened);

        SyncReport next = node.GoodSync();
        Assert.Equal(SyncKind.Full, next.Kind);
        Assert.Equal(wanted, node.Table());
        // a refused service makes its real servers fail after it (ESRCH): those are made again with it
        Assert.Equal(refusedStep <= 3 ? 3 : 1, next.Changes.Count);
    }

    [Fact]
    public void ARefusedRealServer_IsNamedWithItsService()
    {
        using var node = new FaultyNode();
        node.WantServices(1);
        node.Kernel.RefuseChange(node.Kernel.ChangeCount + 2, Errno.ENOMEM);

        string line = node.FailingSync(SyncKind.Full);

        Assert.Contains("step 2 of 3 failed: add real server 198.19.1.", line, StringComparison.Ordinal);
        Assert.Contains(" to TCP 198.18.97.1:80: Cannot allocate memory (ENOMEM); the 1 step(s) before it were applied", line, StringComparison.Ordinal);
    }
}
