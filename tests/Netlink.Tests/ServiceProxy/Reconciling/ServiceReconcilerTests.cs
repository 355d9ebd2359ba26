using System.Net;
using Netlink.Ipvs;
using ServiceProxy.Health;
using ServiceProxy.Planning;
using ServiceProxy.Reconciling;
using static Netlink.Tests.ServiceProxy.Planning.TableBuilder;
using static Netlink.Tests.ServiceProxy.Reconciling.ConntrackFlows;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>The reconciler on the fake kernel: incremental syncs, drift, ownership, restarts, failures.</summary>
public sealed class ServiceReconcilerTests
{
    private static readonly VirtualServiceKey Web = Tcp("198.18.97.97", 80);
    private static readonly VirtualServiceKey Api = Tcp("198.18.97.98", 443);

    private static DesiredService WebPods(params string[] pods) =>
        Entry(Service(Web), [.. pods.Select(p => Server(p, 80))]);

    [Fact]
    public void FirstSync_ReadsTheKernel_LoadsTheTable_AndRecordsOwnershipBeforeChanging()
    {
        using var node = new ReconcilerNode();
        node.Want(WebPods("198.19.1.2", "198.19.2.2", "198.19.3.2"), Entry(Service(Api, "wrr"), Server("198.19.1.2", 443)));
        SyncReport report = node.Sync(SyncKind.Incremental);
        Assert.Equal(SyncKind.Full, report.Kind); // no view yet: the first sync always reads
        Assert.Equal(1, node.Client.TableReads);
        Assert.Equal(6, report.Changes.Count);
        Assert.Equal(
            ["TCP 198.18.97.97:80 rr -> 198.19.1.2:80 w1, 198.19.2.2:80 w1, 198.19.3.2:80 w1", "TCP 198.18.97.98:443 wrr -> 198.19.1.2:443 w1"],
            node.Table());
        Assert.Equal([Web, Api], node.Store.Keys.OrderBy(k => k.Port));
        Assert.False(node.Reconciler.HasPendingChanges);
    }

    [Fact]
    public void ChangeToOneService_IsPlannedAgainstTheView_WithoutReadingTheKernel()
    {
        using var node = new ReconcilerNode();
        node.Want(WebPods("198.19.1.2", "198.19.2.2"), Entry(Service(Api), Server("198.19.1.2", 443)));
        node.Sync(SyncKind.Full);
        node.Client.ResetCounts();
        long before = node.Kernel.ChangeCount;

        node.Want(WebPods("198.19.1.2", "198.19.3.2")); // 198.19.2.2 goes (no connections: deleted at once), 198.19.3.2 comes
        SyncReport report = node.Sync();

        Assert.Equal(SyncKind.Incremental, report.Kind);
        Assert.Equal(1, report.ServicesPlanned);
        Assert.Equal((0, 0), (node.Client.TableReads, node.Client.ServiceListings));
        Assert.Equal(1, node.Client.RealServerListings); // the removed real server's connections, of that one service
        Assert.Equal(2, node.Kernel.ChangeCount - before);
        Assert.Contains("TCP 198.18.97.97:80 rr -> 198.19.1.2:80 w1, 198.19.3.2:80 w1", node.Table());
    }

    [Fact]
    public void VirtualIpsAndRules_AreLookedAtWhenAnAddressOrPortComesOrGoes_NotWhenRealServersChange()
    {
        using var node = new ReconcilerNode();
        node.Want(WebPods("198.19.1.2"));
        Assert.True(node.Reconciler.VirtualIpsOrRulesPending); // a new service
        node.Sync(SyncKind.Full);
        Assert.False(node.Reconciler.VirtualIpsOrRulesPending);

        node.Want(WebPods("198.19.1.2", "198.19.2.2"));
        Assert.False(node.Reconciler.VirtualIpsOrRulesPending); // the same service, other real servers
        node.Want(Entry(Service(Web, "wrr"), Server("198.19.1.2", 80)));
        Assert.False(node.Reconciler.VirtualIpsOrRulesPending); // the same service, another scheduler
        node.Sync();

        node.Reconciler.SetDesired([], [Web]);
        Assert.True(node.Reconciler.VirtualIpsOrRulesPending); // its address and port go
    }

    [Fact]
    public void NothingPending_SyncChangesNothing()
    {
        using var node = new ReconcilerNode();
        node.Want(WebPods("198.19.1.2"));
        node.Sync(SyncKind.Full);
        long before = node.Kernel.ChangeCount;
        Assert.True(node.Sync().ChangedNothing);
        Assert.True(node.Sync(SyncKind.Full).ChangedNothing);
        Assert.Equal(before, node.Kernel.ChangeCount);
    }

    [Fact]
    public void FullSync_RepairsDrift_AndCountsIt()
    {
        using var node = new ReconcilerNode();
        node.Want(WebPods("198.19.1.2", "198.19.2.2"), Entry(Service(Api), Server("198.19.1.2", 443)));
        node.Sync(SyncKind.Full);
        IReadOnlyList<string> wanted = node.Table();

        node.Other.DeleteService(Api);                                                     // ipvsadm -D
        node.Other.UpdateRealServer(Web, Server("198.19.1.2", 80, weight: 7));              // ipvsadm -e
        Assert.True(node.Sync().ChangedNothing);                                           // incremental: not seen

        SyncReport report = node.Sync(SyncKind.Full);
        Assert.Equal(2, report.DriftRepairs);
        Assert.Equal(wanted, node.Table());
    }

    [Fact]
    public void ForeignService_SurvivesSyncsRestartsAndCleanup()
    {
        using var node = new ReconcilerNode();
        VirtualServiceKey foreign = Tcp("198.18.50.50", 22);
        node.Other.AddService(Service(foreign));
        node.Other.AddRealServer(foreign, Server("198.19.9.9", 22));
        node.Want(WebPods("198.19.1.2"));
        node.Sync(SyncKind.Full);
        node.Sync(SyncKind.Full);
        node.Restart();
        node.Want(WebPods("198.19.1.2"));
        node.Sync(SyncKind.Full);
        Assert.Contains("TCP 198.18.50.50:22 rr -> 198.19.9.9:22 w1", node.Table());
        Assert.DoesNotContain(foreign, node.Store.Keys);

        CleanupReport cleanup = node.Reconciler.Cleanup();
        Assert.Equal(1, cleanup.ServicesDeleted);
        Assert.Equal(["TCP 198.18.50.50:22 rr -> 198.19.9.9:22 w1"], node.Table());
        Assert.Empty(node.Store.Keys);
    }

    [Fact]
    public void Restart_AdoptsInPlace_RestoresWeights_AndDeletesOwnedServicesNoLongerWanted()
    {
        using var node = new ReconcilerNode();
        node.Want(WebPods("198.19.1.2", "198.19.2.2"), Entry(Service(Api), Server("198.19.1.2", 443)));
        node.Sync(SyncKind.Full);
        // while the daemon was down: a real server left at weight 0 (inhibited or draining), and Api left the model
        node.Other.UpdateRealServer(Web, Server("198.19.2.2", 80, weight: 0));

        node.Restart();
        node.Want(WebPods("198.19.1.2", "198.19.2.2"));
        SyncReport report = node.Sync();

        Assert.Equal(
            [(IpvsOperationKind.UpdateRealServer, "198.19.2.2:80"), (IpvsOperationKind.DeleteService, "")],
            report.Changes.Select(c => (c.Kind, c.RealServer?.Endpoint ?? "")));
        Assert.Equal(["TCP 198.18.97.97:80 rr -> 198.19.1.2:80 w1, 198.19.2.2:80 w1"], node.Table());
        Assert.Equal([Web], node.Store.Keys);
    }

    [Fact]
    public void RemovedTcpRealServer_DrainsAtWeightZero_UntilItsConnectionsEnd()
    {
        using var node = new ReconcilerNode();
        node.Want(WebPods("198.19.1.2", "198.19.2.2"));
        node.Sync(SyncKind.Full);
        node.Kernel.SetConnections(Web, IPAddress.Parse("198.19.2.2"), 80, active: 1, inactive: 2);

        node.Want(WebPods("198.19.1.2"));
        node.Sync();
        Assert.Equal(["TCP 198.18.97.97:80 rr -> 198.19.1.2:80 w1, 198.19.2.2:80 w0"], node.Table());
        Assert.Equal(1, node.Reconciler.DrainingCount);
        Assert.Equal(node.Time.GetUtcNow() + TimeSpan.FromSeconds(5), node.Reconciler.NextDrainCheck);

        node.Time.Advance(TimeSpan.FromSeconds(5));
        node.Sync();
        Assert.Contains("198.19.2.2:80 w0", node.Table()[0]); // still has connections

        node.Kernel.SetConnections(Web, IPAddress.Parse("198.19.2.2"), 80, active: 0, inactive: 0);
        node.Time.Advance(TimeSpan.FromSeconds(5));
        node.Sync();
        Assert.Equal(["TCP 198.18.97.97:80 rr -> 198.19.1.2:80 w1"], node.Table());
        Assert.Equal(0, node.Reconciler.DrainingCount);
        Assert.Null(node.Reconciler.NextDrainCheck);
    }

    [Fact]
    public void DrainingRealServer_IsDeletedAfterTheDrainTimeout_EvenWithConnections()
    {
        using var node = new ReconcilerNode(drainTimeout: TimeSpan.FromMinutes(1));
        node.Want(WebPods("198.19.1.2", "198.19.2.2"));
        node.Sync(SyncKind.Full);
        node.Kernel.SetConnections(Web, IPAddress.Parse("198.19.2.2"), 80, active: 5, inactive: 0);
        node.Want(WebPods("198.19.1.2"));
        node.Sync();
        node.Time.Advance(TimeSpan.FromSeconds(59));
        node.Sync();
        Assert.Contains("198.19.2.2:80 w0", node.Table()[0]);
        node.Time.Advance(TimeSpan.FromSeconds(1));
        node.Sync();
        Assert.Equal(["TCP 198.18.97.97:80 rr -> 198.19.1.2:80 w1"], node.Table());
    }

    [Fact]
    public void RealServerBackWhileDraining_GetsItsWeightBackInPlace()
    {
        using var node = new ReconcilerNode();
        node.Want(WebPods("198.19.1.2", "198.19.2.2"));
        node.Sync(SyncKind.Full);
        node.Kernel.SetConnections(Web, IPAddress.Parse("198.19.2.2"), 80, active: 4, inactive: 0);
        node.Want(WebPods("198.19.1.2"));
        node.Sync();

        node.Want(WebPods("198.19.1.2", "198.19.2.2"));
        SyncReport report = node.Sync();
        ServiceTableChange change = Assert.Single(report.Changes);
        Assert.Equal((IpvsOperationKind.UpdateRealServer, 1), (change.Kind, change.RealServer!.Weight)); // no delete + add
        Assert.Equal(0, node.Reconciler.DrainingCount);
    }

    [Fact]
    public void RemovedUdpRealServer_IsDeletedAtOnce_WithItsConntrackEntries()
    {
        using var node = new ReconcilerNode();
        VirtualServiceKey dns = VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("198.18.97.53"), 53);
        node.Want(Entry(Service(dns), Server("198.19.1.2", 53), Server("198.19.2.2", 53)));
        node.Sync(SyncKind.Full);
        node.Kernel.SetConnections(dns, IPAddress.Parse("198.19.2.2"), 53, active: 0, inactive: 9);
        node.Conntrack.Table.AddRange([UdpFlow("198.18.97.53", 53, answeredBy: "198.19.2.2"), UdpFlow("198.18.97.53", 53, answeredBy: "198.19.1.2")]);
        node.Conntrack.Deleted.Clear(); // the first sync's, for a service that gained real servers

        node.Want(Entry(Service(dns), Server("198.19.1.2", 53)));
        SyncReport report = node.Sync();
        Assert.Equal(IpvsOperationKind.DeleteRealServer, Assert.Single(report.Changes).Kind);
        var filter = Assert.Single(node.Conntrack.Deleted);
        Assert.Equal((17, "198.18.97.53", 53, "198.19.2.2", 53),
            ((int)filter.Protocol!, filter.OriginalDestination!.ToString(), (int)filter.OriginalDestinationPort!, filter.ReplySource!.ToString(), (int)filter.ReplySourcePort!));
        Assert.Equal(1, report.ConntrackEntriesDeleted);
        Assert.Equal("198.19.1.2", Assert.Single(node.Conntrack.Table).Reply!.Source.ToString());
    }

    [Fact]
    public void FailedHealthCheck_InhibitsOrRemoves_AndRecoveryRestoresTheWeight()
    {
        using var node = new ReconcilerNode();
        DesiredService Checked(HealthCheckFailureAction action) =>
            WebPods("198.19.1.2", "198.19.2.2") with { HealthCheck = new HealthCheck { OnFailure = action } };
        node.Want(Checked(HealthCheckFailureAction.Inhibit));
        node.Sync(SyncKind.Full);

        node.Health.Failed.Add((Web, IPAddress.Parse("198.19.2.2"), 80));
        node.Reconciler.MarkDirty(Web);
        node.Sync();
        Assert.Equal(["TCP 198.18.97.97:80 rr -> 198.19.1.2:80 w1, 198.19.2.2:80 w0"], node.Table());

        node.Want(Checked(HealthCheckFailureAction.Remove));
        node.Sync();
        Assert.Equal(["TCP 198.18.97.97:80 rr -> 198.19.1.2:80 w1"], node.Table()); // taken out at once, not drained

        node.Health.Failed.Clear();
        node.Reconciler.MarkDirty(Web);
        node.Sync();
        Assert.Equal(["TCP 198.18.97.97:80 rr -> 198.19.1.2:80 w1, 198.19.2.2:80 w1"], node.Table());
    }

    [Fact]
    public void RefusedStep_IsReported_AndTheNextSyncReadsTheKernelAndConverges()
    {
        using var node = new ReconcilerNode();
        node.Want(WebPods("198.19.1.2"));
        node.Sync(SyncKind.Full);
        node.Kernel.RefuseChange(node.Kernel.ChangeCount + 2, 12); // ENOMEM on the second change
        node.Want(WebPods("198.19.1.2", "198.19.2.2", "198.19.3.2"));
        SyncReport failed = node.Reconciler.Sync(SyncKind.Incremental);
        Assert.False(failed.Succeeded);
        Assert.Single(failed.Changes);
        Assert.True(node.Reconciler.HasPendingChanges);

        SyncReport next = node.Sync();
        Assert.Equal(SyncKind.Full, next.Kind);
        Assert.Equal(["TCP 198.18.97.97:80 rr -> 198.19.1.2:80 w1, 198.19.2.2:80 w1, 198.19.3.2:80 w1"], node.Table());
    }

    [Fact]
    public void DryRun_PlansButChangesNothing()
    {
        using var node = new ReconcilerNode();
        var dry = new ServiceReconciler(node.Client, node.Store, new ReconcilerOptions { DryRun = true });
        dry.SetDesired([WebPods("198.19.1.2")], []);
        SyncReport report = dry.Sync(SyncKind.Full);
        Assert.Equal(2, report.Changes.Count);
        Assert.Empty(node.Table());
        Assert.Equal(0, node.Store.Saves);
    }

    [Fact]
    public void Differences_ListWhatASyncWouldChange()
    {
        using var node = new ReconcilerNode();
        node.Want(WebPods("198.19.1.2"));
        Assert.Equal(["add virtual service TCP 198.18.97.97:80", "add real server 198.19.1.2:80 to TCP 198.18.97.97:80"], node.Reconciler.Differences());
        node.Sync();
        Assert.Empty(node.Reconciler.Differences());
    }
}
