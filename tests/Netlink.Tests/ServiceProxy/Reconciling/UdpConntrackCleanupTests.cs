using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Netlink.Ipvs;
using Netlink.Netfilter.Conntrack;
using ServiceProxy.Health;
using ServiceProxy.Planning;
using ServiceProxy.Reconciling;
using static Netlink.Tests.ServiceProxy.Planning.TableBuilder;
using static Netlink.Tests.ServiceProxy.Reconciling.ConntrackFlows;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>
/// A UDP service that gains real servers: the conntrack entries towards it that none of its real servers answers go,
/// the rest stay; all of one sync's cleanup is one conntrack call, and a sync with no such change makes none.
/// </summary>
public sealed class UdpConntrackCleanupTests
{
    private const string Vip = "198.18.97.53";
    private static readonly VirtualServiceKey Dns = VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse(Vip), 53);

    private static DesiredService DnsPods(params string[] pods) => Entry(Service(Dns), [.. pods.Select(p => Server(p, 53))]);

    [Fact]
    public void ZeroToOneRealServer_DeletesTheEntriesNoRealServerAnswers_AndKeepsTheRest()
    {
        using var node = new ReconcilerNode();
        node.Want(DnsPods());
        node.Sync(SyncKind.Full);
        Assert.Equal(0, node.Conntrack.Calls); // a service with nothing to serve it: nothing to clean yet
        ConntrackEntry unanswered = UdpFlow(Vip, 53, answeredBy: Vip); // came while nothing served: never translated
        ConntrackEntry answered = UdpFlow(Vip, 53, answeredBy: "198.19.1.2", clientPort: 40054);
        ConntrackEntry otherPort = UdpFlow(Vip, 5353, answeredBy: Vip);
        ConntrackEntry tcp = UdpFlow(Vip, 53, answeredBy: Vip, protocol: 6);
        node.Conntrack.Table.AddRange([unanswered, answered, otherPort, tcp]);

        node.Want(DnsPods("198.19.1.2"));
        SyncReport report = node.Sync();

        Assert.Equal(IpvsOperationKind.AddRealServer, Assert.Single(report.Changes).Kind);
        Assert.Equal(1, report.ConntrackEntriesDeleted);
        Assert.Equal([answered, otherPort, tcp], node.Conntrack.Table);
        ConntrackFilter filter = Assert.Single(node.Conntrack.Deleted);
        Assert.Equal((17, Vip, 53), ((int)filter.Protocol!, filter.OriginalDestination!.ToString(), (int)filter.OriginalDestinationPort!));
        Assert.Equal(["198.19.1.2"], filter.ReplySourceNotIn!.Select(a => a.ToString()));
    }

    [Fact]
    public void RealServerReplaced_OneCallDeletesTheRemovedOnesFlowsAndTheUnansweredOnes()
    {
        using var node = new ReconcilerNode();
        node.Want(DnsPods("198.19.1.2"));
        node.Sync(SyncKind.Full);
        ConntrackEntry toNew = UdpFlow(Vip, 53, answeredBy: "198.19.2.2", clientPort: 40055);
        node.Conntrack.Table.AddRange([UdpFlow(Vip, 53, answeredBy: "198.19.1.2"), UdpFlow(Vip, 53, answeredBy: Vip, clientPort: 40054), toNew]);
        int callsBefore = node.Conntrack.Calls;

        node.Want(DnsPods("198.19.2.2"));
        SyncReport report = node.Sync();

        Assert.Equal(2, report.ConntrackEntriesDeleted);
        Assert.Equal([toNew], node.Conntrack.Table);
        Assert.Equal(1, node.Conntrack.Calls - callsBefore);
    }

    [Fact]
    public void ManyUdpServicesGainingRealServers_AreOneConntrackCall()
    {
        using var node = new ReconcilerNode();
        DesiredService[] services =
        [
            .. Enumerable.Range(1, 200).Select(i => Entry(
                Service(VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"198.18.98.{i}")), 53)),
                Server(string.Create(CultureInfo.InvariantCulture, $"198.19.1.{i}"), 53))),
        ];
        node.Want(services);
        node.Sync(SyncKind.Full);
        Assert.Equal(1, node.Conntrack.Calls);
        Assert.Equal(200, node.Conntrack.Deleted.Count);
    }

    [Fact]
    public void UnchangedResync_AndTcpOrDirectRoutedServicesGainingRealServers_CallConntrackNotAtAll()
    {
        using var node = new ReconcilerNode();
        VirtualServiceKey web = Tcp(Vip, 80);
        VirtualServiceKey direct = VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse(Vip), 514);
        node.Want(DnsPods("198.19.1.2"), Entry(Service(web)), Entry(Service(direct)));
        node.Sync(SyncKind.Full);
        int callsBefore = node.Conntrack.Calls;

        node.Sync(SyncKind.Full);
        node.Sync(SyncKind.Incremental);
        Assert.Equal(callsBefore, node.Conntrack.Calls);

        // with direct routing the kernel never translates a flow: a good entry's reply source is the virtual IP too
        node.Want(Entry(Service(web), Server("198.19.1.2", 80)), Entry(Service(direct), Server("198.19.1.2", 514, forward: ForwardingMethod.DirectRouting)));
        SyncReport report = node.Sync();
        Assert.Equal(2, report.Changes.Count);
        Assert.Equal(callsBefore, node.Conntrack.Calls);
    }

    [Fact]
    public void WeightBackFromZero_IsAGain_LikeARealServerAdded()
    {
        using var node = new ReconcilerNode();
        DesiredService inhibited = DnsPods("198.19.1.2") with { HealthCheck = new HealthCheck { OnFailure = HealthCheckFailureAction.Inhibit } };
        node.Want(inhibited);
        node.Health.Failed.Add((Dns, IPAddress.Parse("198.19.1.2"), 53));
        node.Sync(SyncKind.Full);
        Assert.Equal(["UDP 198.18.97.53:53 rr -> 198.19.1.2:53 w0"], node.Table());
        int callsBefore = node.Conntrack.Calls; // added at weight 0: serves no new flow, nothing to clean
        Assert.Equal(0, callsBefore);
        node.Conntrack.Table.Add(UdpFlow(Vip, 53, answeredBy: Vip));

        node.Health.Failed.Clear();
        node.Reconciler.MarkDirty(Dns);
        SyncReport report = node.Sync();

        Assert.Equal(IpvsOperationKind.UpdateRealServer, Assert.Single(report.Changes).Kind);
        Assert.Equal(1, report.ConntrackEntriesDeleted);
        Assert.Empty(node.Conntrack.Table);
    }

    [Fact]
    public void ConntrackFailure_IsAWarning_AndTheSyncSucceeds()
    {
        using var node = new ReconcilerNode();
        node.Want(DnsPods());
        node.Sync(SyncKind.Full);
        node.Conntrack.Failure = new NetlinkException(Errno.ENOBUFS, "list conntrack entries", null);

        node.Want(DnsPods("198.19.1.2"));
        SyncReport report = node.Sync(); // asserts success

        Assert.Equal(0, report.ConntrackEntriesDeleted);
        Assert.Equal(["UDP 198.18.97.53:53 rr -> 198.19.1.2:53 w1"], node.Table());
        var warning = Assert.Single(node.Log.Lines, l => l.Level == LogLevel.Warning);
        Assert.Contains("conntrack entries of UDP 198.18.97.53:53 not deleted: ", warning.Message, StringComparison.Ordinal);
        Assert.False(node.Reconciler.HasPendingChanges);
    }
}
