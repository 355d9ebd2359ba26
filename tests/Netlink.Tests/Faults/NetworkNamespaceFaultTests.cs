using Netlink.Ipvs;
using ServiceProxy.Kernel;
using ServiceProxy.Reconciling;
using Netlink.Tests.ServiceProxy.Reconciling;

namespace Netlink.Tests.Faults;

/// <summary>
/// The network namespace the IPVS socket is to be opened in was deleted (its /var/run/netns file is gone): opening
/// fails on this machine's real kernel, needing no privilege, with a message naming the namespace file, and a
/// reconciler whose socket must be reopened there reports it on one line per sync instead of crashing.
/// </summary>
public sealed class NetworkNamespaceFaultTests
{
    private static readonly NetworkNamespace Deleted = NetworkNamespace.FromName($"ipvsd-test-deleted-{Environment.ProcessId}");

    [Fact]
    public void OpeningInADeletedNamespace_FailsNamingTheNamespaceFile()
    {
        var e = Assert.Throws<NetlinkException>(() => IpvsClient.Open(new IpvsClientOptions { Namespace = Deleted }));

        Assert.Equal(Errno.ENOENT, e.ErrorNumber);
        Assert.Equal($"open network namespace {Deleted.Path}: No such file or directory (ENOENT)", e.Message);
    }

    [Fact]
    public void ASyncThatMustReopenInADeletedNamespace_FailsOnOneLine_AndKeepsTrying()
    {
        int attempts = 0;
        using var client = new ReopeningIpvsClient(() =>
        {
            attempts++;
            return IpvsClient.Open(new IpvsClientOptions { Namespace = Deleted });
        });
        var reconciler = new ServiceReconciler(client, new MemoryOwnershipStore());

        SyncReport first = reconciler.Sync(SyncKind.Full);
        SyncReport second = reconciler.Sync(SyncKind.Full);

        Assert.Equal($"open network namespace {Deleted.Path}: No such file or directory (ENOENT)", first.Error?.Message);
        Assert.False(second.Succeeded);
        Assert.Equal(2, attempts);
    }
}
