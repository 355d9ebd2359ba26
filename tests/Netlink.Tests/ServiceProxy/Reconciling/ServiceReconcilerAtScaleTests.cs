using System.Globalization;
using System.Net;
using Netlink.Ipvs;
using ServiceProxy.Model;
using ServiceProxy.Planning;
using ServiceProxy.Reconciling;
using static Netlink.Tests.ServiceProxy.Planning.TableBuilder;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>
/// 10,000 services x 10 real servers, from a directory of one model file per service, through the reconciler into the
/// fake kernel: the first sync loads it all, and a change of one file then reads one file, plans one service and reads
/// nothing from the kernel. Work is asserted by counting, never by timing.
/// </summary>
public sealed class ServiceReconcilerAtScaleTests
{
    private const int Services = 10_000;
    private const int Dests = 10;

    private static string Address(int i) => string.Create(CultureInfo.InvariantCulture, $"198.18.{i / 250}.{(i % 250) + 1}");

    private static ModelSource File(int i, int firstDest = 0)
    {
        var text = new System.Text.StringBuilder(string.Create(CultureInfo.InvariantCulture, $"services:\n  - address: tcp://{Address(i)}:80\n    destinations:\n"));
        for (int d = firstDest; d < firstDest + Dests; d++)
        {
            text.Append(CultureInfo.InvariantCulture, $"      - {{ address: 198.19.{d}.{(i % 250) + 1}:8080, forward: nat, weight: 1 }}\n");
        }
        return new ModelSource(string.Create(CultureInfo.InvariantCulture, $"/etc/ipvsd/services/svc-{i:D5}.yaml"), text.ToString());
    }

    [Fact]
    public void OneFileChanged_IsOneServicePlanned_AndNoKernelRead()
    {
        var files = new ServiceModelFiles();
        ModelFilesUpdate initial = files.Update(Enumerable.Range(0, Services).Select(i => File(i)));
        Assert.True(initial.IsValid);
        Assert.Equal(Services, initial.Changed.Count);

        using var node = new ReconcilerNode();
        node.Reconciler.SetDesired(initial.Changed, initial.Removed);
        SyncReport first = node.Sync(SyncKind.Full);
        Assert.Equal(Services * (1 + Dests), first.Changes.Count);
        Assert.Equal(Services * Dests, node.Kernel.RealServerCount);
        Assert.Equal(Services, node.Store.Keys.Count);
        Assert.Equal(Services * Dests, node.Reconciler.RealServerCount);

        // one endpoint of service 4321 replaced: dest 0 goes, dest 10 comes
        ModelFilesUpdate one = files.Update([File(4321, firstDest: 1)]);
        DesiredService changed = Assert.Single(one.Changed);
        Assert.Empty(one.Removed);
        node.Client.ResetCounts();
        long before = node.Kernel.ChangeCount;
        node.Reconciler.SetDesired(one.Changed, one.Removed);
        Assert.False(node.Reconciler.VirtualIpsOrRulesPending); // same address and port: no address dump, no rule set
        SyncReport report = node.Sync();

        Assert.Equal((SyncKind.Incremental, 1), (report.Kind, report.ServicesPlanned));
        Assert.Equal((0, 0), (node.Client.TableReads, node.Client.ServiceListings));
        Assert.Equal(2, node.Kernel.ChangeCount - before);
        ObservedRealServer[] servers = [.. node.Other.ListRealServers(changed.Service.Key)];
        Assert.Equal(Dests, servers.Length);
        Assert.Contains(servers, s => s.Settings.Address.Equals(IPAddress.Parse("198.19.10.72")));
        Assert.Empty(node.Reconciler.Differences());
    }

    /// <summary>A node whose reconciler has loaded the whole table (service i: 198.18.x.y:80, Dests real servers on 8080).</summary>
    private static ReconcilerNode LoadedNode()
    {
        var node = new ReconcilerNode();
        node.Want([.. Enumerable.Range(0, Services).Select(i => Entry(Service(Tcp(Address(i), 80)),
            [.. Enumerable.Range(0, Dests).Select(d => Server(string.Create(CultureInfo.InvariantCulture, $"198.19.{d}.{(i % 250) + 1}"), 8080))]))]);
        node.Sync(SyncKind.Full);
        return node;
    }

    [Fact]
    public void FullResync_OfAnUnchangedTable_ChangesNothing()
    {
        using ReconcilerNode node = LoadedNode();
        long before = node.Kernel.ChangeCount;
        SyncReport resync = node.Sync(SyncKind.Full);
        Assert.True(resync.ChangedNothing);
        Assert.Equal((0, 0), (resync.DriftRepairs, resync.ServicesPlanned)); // read and compared, nothing planned
        Assert.Equal(before, node.Kernel.ChangeCount);
    }

    [Fact]
    public void FullResync_PlansOnlyTheServicesThatDrifted()
    {
        using ReconcilerNode node = LoadedNode();
        VirtualServiceKey edited = Tcp(Address(4321), 80);
        VirtualServiceKey deleted = Tcp(Address(8765), 80);
        node.Other.UpdateRealServer(edited, Server("198.19.3.72", 8080, weight: 9)); // ipvsadm -e
        node.Other.DeleteService(deleted);                                             // ipvsadm -D
        IReadOnlyList<string> before = node.Table();

        SyncReport resync = node.Sync(SyncKind.Full);

        Assert.Equal((2, 2), (resync.DriftRepairs, resync.ServicesPlanned));
        Assert.Equal(1 + 1 + Dests, resync.Changes.Count); // the weight back; the service and its real servers again
        Assert.NotEqual(before, node.Table());
        Assert.Empty(node.Reconciler.Differences());
    }
}
