using Netlink.Ipvs;
using Netlink.Testing;
using ServiceProxy.Reconciling;
using static Netlink.Tests.ServiceProxy.Planning.TableBuilder;

namespace Netlink.Tests.Faults;

/// <summary>
/// ip_vs missing when ipvsd starts, unloaded while it runs, and loaded again (under the same generic netlink id or a
/// new one): every failing sync logs one line naming the fix, and the first sync once the family is back converges.
/// </summary>
public sealed class IpvsModuleFaultTests
{
    private const string NotLoaded = "this kernel has no IPVS (generic netlink family \"IPVS\" not found; the ip_vs module is not loaded): load the ip_vs module";

    [Fact]
    public void MissingAtStart_EverySyncSaysToLoadIt_AndTheFirstAfterLoadingConverges()
    {
        using var node = new FaultyNode(openNow: false);
        node.Kernel.UnloadModule();
        IReadOnlyList<string> wanted = node.WantServices(3);

        Assert.Contains(" and 0 changes: " + NotLoaded, node.FailingSync(), StringComparison.Ordinal);
        Assert.Contains(NotLoaded, node.FailingSync(), StringComparison.Ordinal);
        node.Kernel.LoadModule();
        node.GoodSync();

        Assert.Equal(wanted, node.Table());
    }

    [Fact]
    public void UnloadedMidRun_TheNextFullSyncSaysSo_AndAfterReloadingUnderANewIdTheTableIsBuiltAgain()
    {
        using var node = new FaultyNode();
        IReadOnlyList<string> wanted = node.WantServices(3);
        node.GoodSync(SyncKind.Full);
        ushort oldId = node.Kernel.FamilyId;

        node.Kernel.UnloadModule(); // the table goes with the module
        string line = node.FailingSync(SyncKind.Full);

        Assert.Contains($" and 0 changes: this kernel has no IPVS (list virtual services refused with ENOENT: generic netlink family id {oldId} is gone, so ip_vs was unloaded: load the ip_vs module and open a new client", line, StringComparison.Ordinal);
        Assert.Contains(NotLoaded, node.FailingSync(), StringComparison.Ordinal); // the new socket finds no family
        node.Kernel.LoadModule(familyId: 0x31);
        SyncReport report = node.GoodSync();

        Assert.Equal(9, report.Changes.Count);
        Assert.Equal(wanted, node.Table());
        Assert.Equal(3, node.SocketsOpened);
    }

    [Fact]
    public void ReloadedBetweenTwoSyncs_TheOldIdIsRefused_AndTheNextSyncResolvesTheNewOne()
    {
        using var node = new FaultyNode();
        IReadOnlyList<string> wanted = node.WantServices(2);
        node.GoodSync(SyncKind.Full);
        node.Kernel.UnloadModule();
        node.Kernel.LoadModule(familyId: 0x40);

        Assert.Contains("ip_vs was unloaded", node.FailingSync(SyncKind.Full), StringComparison.Ordinal);
        node.GoodSync();

        Assert.Equal(wanted, node.Table());
    }

    [Fact]
    public void UnloadedBeforeAnIncrementalRemoval_TheConnectionCountReadSaysSo_ThenTheTableIsBuiltAgain()
    {
        using var node = new FaultyNode();
        node.WantServices(2);
        node.GoodSync(SyncKind.Full);
        node.Kernel.UnloadModule();
        IReadOnlyList<string> wanted = node.WantServices(2, firstPod: 5);

        // a removed real server's connections are read before it goes
        Assert.Contains("and 0 changes: this kernel has no IPVS (list real servers of TCP 198.18.97.", node.FailingSync(), StringComparison.Ordinal);
        Assert.Contains(NotLoaded, node.FailingSync(), StringComparison.Ordinal);
        node.Kernel.LoadModule();
        node.GoodSync();

        Assert.Equal(wanted, node.Table());
    }

    [Fact]
    public void UnloadedBeforeAnIncrementalAddition_TheRefusedBatchSaysIpvsIsGone_NotJustENOENT()
    {
        using var node = new FaultyNode();
        node.WantServices(2);
        node.GoodSync(SyncKind.Full);
        node.Kernel.UnloadModule();
        IReadOnlyList<string> wanted = node.WantServices(3);

        Assert.Contains($"and 0 changes: this kernel has no IPVS (add virtual service TCP 198.18.97.3:80 refused with ENOENT: generic netlink family id {node.Kernel.FamilyId} is gone, so ip_vs was unloaded: load the ip_vs module and open a new client", node.FailingSync(), StringComparison.Ordinal);
        Assert.Contains(NotLoaded, node.FailingSync(), StringComparison.Ordinal);
        node.Kernel.LoadModule();
        node.GoodSync();

        Assert.Equal(wanted, node.Table());
    }

    [Fact]
    public void AnIpvsRefusalWithENOENT_WhileTheFamilyIsThere_StaysTheKernelsAnswer()
    {
        using var node = new FaultyNode();
        node.Want(Entry(Service(Tcp("198.18.97.1", 80), scheduler: "nosuch")));

        string line = node.FailingSync();

        Assert.Contains("add virtual service TCP 198.18.97.1:80: No such file or directory (ENOENT)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("ip_vs", line, StringComparison.Ordinal);
    }

    [Fact]
    public void TheUnloadedFamilyOnAPlainClient_IsIpvsUnavailable_NamingTheFix()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient client = kernel.OpenClient();
        kernel.UnloadModule();

        var e = Assert.Throws<IpvsUnavailableException>(() => client.GetTable());

        Assert.Equal(Errno.ENOENT, e.ErrorNumber);
        Assert.Contains("ip_vs was unloaded: load the ip_vs module", e.Message, StringComparison.Ordinal);
        Assert.Equal(Errno.ENOENT, Assert.IsType<NetlinkException>(e.InnerException).ErrorNumber);
    }
}
