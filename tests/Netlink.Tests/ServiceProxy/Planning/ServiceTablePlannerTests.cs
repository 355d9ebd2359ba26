using Netlink.Ipvs;
using ServiceProxy.Planning;
using static Netlink.Tests.ServiceProxy.Planning.TableBuilder;

namespace Netlink.Tests.ServiceProxy.Planning;

/// <summary>The planner on plain lists: the smallest plan, edits in place, in an order that keeps traffic flowing.</summary>
public sealed class ServiceTablePlannerTests
{
    private static readonly VirtualServiceKey Web = Tcp("198.18.0.1", 80);
    private static readonly VirtualServiceKey Api = Tcp("198.18.0.2", 443);

    private static ServiceTablePlan Plan(IReadOnlyList<DesiredService> current, DesiredServiceTable desired, bool keepWeights = false) =>
        ServiceTablePlanner.Plan(current.Select(AsKernelHasIt).ToList(), new IpvsTimeouts(900, 120, 300), desired, new ServiceTablePlanOptions { KeepWeights = keepWeights });

    private static string[] Steps(ServiceTablePlan plan) => plan.Changes.Select(c => c.ToString()).ToArray();

    [Fact]
    public void EmptyKernel_AddsServicesThenTheirRealServers()
    {
        var desired = new DesiredServiceTable([Entry(Service(Web), Server("198.19.0.1", 8080), Server("198.19.0.2", 8080))]);
        ServiceTablePlan plan = Plan([], desired);
        Assert.Equal(
        [
            "add virtual service TCP 198.18.0.1:80",
            "add real server 198.19.0.1:8080 to TCP 198.18.0.1:80",
            "add real server 198.19.0.2:8080 to TCP 198.18.0.1:80",
        ], Steps(plan));
        Assert.Equal(ServiceTableActions.AddService | ServiceTableActions.AddRealServer, plan.RequiredActions);
    }

    [Fact]
    public void SameTableTwice_PlansNothing()
    {
        DesiredService[] table =
        [
            Entry(Service(Web, "wrr") with { PersistenceTimeout = 300, Netmask = PersistenceNetmask.FromIpv4PrefixLength(24) }, Server("198.19.0.1", 8080, 3)),
            Entry(Service(Api), Server("198.19.0.9", 443, 0, ForwardingMethod.DirectRouting)),
        ];
        ServiceTablePlan plan = Plan(table, new DesiredServiceTable(table, new IpvsTimeouts(900, 0, 300)));
        Assert.True(plan.IsEmpty);
        Assert.Empty(plan.Changes);
        Assert.Null(plan.Timeouts);
    }

    [Fact]
    public void SchedulerChange_IsAnEditOfTheService_NotDeleteAndAdd()
    {
        DesiredService current = Entry(Service(Web, "rr"), Server("198.19.0.1", 8080));
        ServiceTablePlan plan = Plan([current], new DesiredServiceTable([Entry(Service(Web, "wrr"), Server("198.19.0.1", 8080))]));
        ServiceTableChange change = Assert.Single(plan.Changes);
        Assert.Equal(IpvsOperationKind.UpdateService, change.Kind);
        Assert.Equal(["scheduler rr -> wrr"], change.Changed);
        Assert.Equal("wrr", change.Service.Scheduler);
    }

    [Fact]
    public void PersistenceNetmaskFlagsAndEngine_AreEditsToo()
    {
        DesiredService current = Entry(Service(Web));
        VirtualService wanted = Service(Web) with
        {
            PersistenceTimeout = 600,
            Netmask = PersistenceNetmask.FromIpv4PrefixLength(24),
            Flags = ServiceFlags.OnePacket,
            PersistenceEngine = "sip",
        };
        ServiceTableChange change = Assert.Single(Plan([current], new DesiredServiceTable([Entry(wanted)])).Changes);
        Assert.Equal(IpvsOperationKind.UpdateService, change.Kind);
        Assert.Equal(
            ["flags [] -> [one-packet]", "persistence 0 -> 600", "netmask 255.255.255.255 -> 255.255.255.0", "persistence engine none -> sip"],
            change.Changed);
    }

    [Fact]
    public void WeightForwardingThresholdAndTunnelChanges_AreEditsOfTheRealServer()
    {
        DesiredService current = Entry(Service(Web), Server("198.19.0.1", 8080, 1), Server("198.19.0.2", 8080, 1));
        RealServer tunnel = Server("198.19.0.2", 8080, 1, ForwardingMethod.Tunnel) with { TunnelType = TunnelType.Gue, TunnelPort = 6080, TunnelFlags = TunnelFlags.Checksum };
        var desired = new DesiredServiceTable([Entry(Service(Web), Server("198.19.0.1", 8080, 5) with { UpperThreshold = 100, LowerThreshold = 50 }, tunnel)]);
        ServiceTablePlan plan = Plan([current], desired);
        Assert.All(plan.Changes, c => Assert.Equal(IpvsOperationKind.UpdateRealServer, c.Kind));
        Assert.Equal(["weight 1 -> 5", "upper threshold 0 -> 100", "lower threshold 0 -> 50"], plan.Changes[0].Changed);
        Assert.Equal(["forwarding Masquerade -> Tunnel", "tunnel type IpIp -> Gue", "tunnel port 0 -> 6080", "tunnel flags None -> Checksum"], plan.Changes[1].Changed);
    }

    [Fact]
    public void RealServerPortChange_IsAddThenDelete_BecauseTheKernelCannotEditIdentity()
    {
        DesiredService current = Entry(Service(Web), Server("198.19.0.1", 8080));
        ServiceTablePlan plan = Plan([current], new DesiredServiceTable([Entry(Service(Web), Server("198.19.0.1", 9090))]));
        Assert.Equal(
        [
            "add real server 198.19.0.1:9090 to TCP 198.18.0.1:80",
            "delete real server 198.19.0.1:8080 from TCP 198.18.0.1:80",
        ], Steps(plan));
    }

    [Fact]
    public void ServicePortChange_IsAddServiceWithServers_ThenDeleteOfTheOld()
    {
        DesiredService current = Entry(Service(Web), Server("198.19.0.1", 8080));
        VirtualServiceKey moved = Tcp("198.18.0.1", 8000);
        ServiceTablePlan plan = Plan([current], new DesiredServiceTable([Entry(Service(moved), Server("198.19.0.1", 8080))]));
        Assert.Equal(
        [
            "add virtual service TCP 198.18.0.1:8000",
            "add real server 198.19.0.1:8080 to TCP 198.18.0.1:8000",
            "delete virtual service TCP 198.18.0.1:80",
        ], Steps(plan));
    }

    [Fact]
    public void Order_ServiceAddsAndEdits_ThenServerAddsAndEdits_ThenServerDeletes_ThenServiceDeletes()
    {
        VirtualServiceKey old = Tcp("198.18.0.9", 80);
        DesiredService[] current =
        [
            Entry(Service(Web, "rr"), Server("198.19.0.1", 8080), Server("198.19.0.2", 8080)),
            Entry(Service(old), Server("198.19.0.7", 80)),
        ];
        var desired = new DesiredServiceTable(
        [
            Entry(Service(Web, "wrr"), Server("198.19.0.2", 8080, 4), Server("198.19.0.3", 8080)),
            Entry(Service(Api), Server("198.19.0.4", 443)),
        ]);
        ServiceTablePlan plan = Plan(current, desired);
        Assert.Equal(
        [
            IpvsOperationKind.UpdateService, IpvsOperationKind.AddService,
            IpvsOperationKind.UpdateRealServer, IpvsOperationKind.AddRealServer, IpvsOperationKind.AddRealServer,
            IpvsOperationKind.DeleteRealServer,
            IpvsOperationKind.DeleteService,
        ], plan.Changes.Select(c => c.Kind));
        // The deleted service's own real server is not deleted one by one: it goes with its service.
        Assert.DoesNotContain(plan.Changes, c => c.Kind == IpvsOperationKind.DeleteRealServer && c.Service.Key == old);
        Assert.Equal("198.19.0.1:8080", plan.Changes[5].RealServer!.Endpoint);
    }

    [Fact]
    public void KeepWeights_ExistingServersKeepTheKernelsWeight_NewOnesGetTheModels()
    {
        DesiredService current = Entry(Service(Web), Server("198.19.0.1", 8080, 100));
        var desired = new DesiredServiceTable([Entry(Service(Web), Server("198.19.0.1", 8080, 200), Server("198.19.0.2", 8080, 7))]);

        ServiceTablePlan kept = Plan([current], desired, keepWeights: true);
        ServiceTableChange add = Assert.Single(kept.Changes);
        Assert.Equal(IpvsOperationKind.AddRealServer, add.Kind);
        Assert.Equal(7, add.RealServer!.Weight);

        ServiceTablePlan overwritten = Plan([current], desired, keepWeights: false);
        Assert.Contains(overwritten.Changes, c => c.Kind == IpvsOperationKind.UpdateRealServer && c.RealServer!.Weight == 200);
    }

    [Fact]
    public void KeepWeights_OtherEditsStillHappen_WithTheKernelsWeight()
    {
        DesiredService current = Entry(Service(Web), Server("198.19.0.1", 8080, 100));
        var desired = new DesiredServiceTable([Entry(Service(Web), Server("198.19.0.1", 8080, 1, ForwardingMethod.DirectRouting))]);
        ServiceTableChange change = Assert.Single(Plan([current], desired, keepWeights: true).Changes);
        Assert.Equal(100, change.RealServer!.Weight);
        Assert.Equal(["forwarding Masquerade -> DirectRouting"], change.Changed);
    }

    [Fact]
    public void EmptyDesiredTable_DeletesEveryService_AndNoRealServerOneByOne()
    {
        ServiceTablePlan plan = Plan([Entry(Service(Web), Server("198.19.0.1", 80)), Entry(Service(Api))], DesiredServiceTable.Empty);
        Assert.Equal(["delete virtual service TCP 198.18.0.1:80", "delete virtual service TCP 198.18.0.2:443"], Steps(plan));
        Assert.Equal(ServiceTableActions.DeleteService, plan.RequiredActions);
    }

    [Fact]
    public void Timeouts_OnlyTheFieldsThatDiffer_AreSet()
    {
        ServiceTablePlan plan = ServiceTablePlanner.Plan([], new IpvsTimeouts(900, 120, 300), new DesiredServiceTable([], new IpvsTimeouts(1800, 120, 0)));
        Assert.Equal(new IpvsTimeouts(1800, 0, 0), plan.Timeouts);
        Assert.Equal("set timeouts tcp 900 -> 1800", plan.DescribeTimeouts());
        Assert.Equal(ServiceTableActions.UpdateTimeouts, plan.RequiredActions);
        Assert.False(plan.IsEmpty);
    }

    [Fact]
    public void Refused_NamesEveryStepTheAllowedActionsDoNotCover()
    {
        DesiredService current = Entry(Service(Web), Server("198.19.0.1", 8080));
        var desired = new DesiredServiceTable([Entry(Service(Web, "wrr"), Server("198.19.0.2", 8080))], new IpvsTimeouts(60, 0, 0));
        ServiceTablePlan plan = Plan([current], desired);
        Assert.Empty(plan.Refused(ServiceTableActions.All));
        Assert.Equal(
        [
            "edit virtual service TCP 198.18.0.1:80 (scheduler rr -> wrr)",
            "delete real server 198.19.0.1:8080 from TCP 198.18.0.1:80",
            "set timeouts tcp 900 -> 60",
        ], plan.Refused(ServiceTableActions.AddService | ServiceTableActions.AddRealServer));
    }

    [Fact]
    public void DuplicateServiceOrRealServer_InTheDesiredTable_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new DesiredServiceTable([Entry(Service(Web)), Entry(Service(Web, "wrr"))]));
        Assert.Throws<ArgumentException>(() => new DesiredServiceTable([Entry(Service(Web), Server("198.19.0.1", 80), Server("198.19.0.1", 80, 5))]));
    }

    [Fact]
    public void AfterAnyPrefixOfThePlanIsApplied_PlanningAgainGivesTheRest()
    {
        DesiredService[] current = [Entry(Service(Web, "rr"), Server("198.19.0.1", 8080)), Entry(Service(Tcp("198.18.0.9", 80)))];
        var desired = new DesiredServiceTable([Entry(Service(Web, "wrr"), Server("198.19.0.2", 8080)), Entry(Service(Api), Server("198.19.0.4", 443))]);
        ServiceTablePlan full = Plan(current, desired);
        for (int done = 0; done <= full.Changes.Count; done++)
        {
            List<DesiredService> partial = FakeApply(current, full.Changes.Take(done));
            ServiceTablePlan rest = Plan(partial, desired);
            Assert.Equal(Steps(full).Skip(done), Steps(rest));
        }
    }

    /// <summary>Applies steps to a table the way the kernel would, for the repair test.</summary>
    private static List<DesiredService> FakeApply(IEnumerable<DesiredService> table, IEnumerable<ServiceTableChange> steps)
    {
        var result = table.Select(e => (Service: e.Service, Servers: e.RealServers.ToList())).ToList();
        foreach (ServiceTableChange step in steps)
        {
            int index = result.FindIndex(e => e.Service.Key == step.Service.Key);
            switch (step.Kind)
            {
                case IpvsOperationKind.AddService: result.Add((step.Service, [])); break;
                case IpvsOperationKind.UpdateService: result[index] = (step.Service, result[index].Servers); break;
                case IpvsOperationKind.DeleteService: result.RemoveAt(index); break;
                case IpvsOperationKind.AddRealServer: result[index].Servers.Add(step.RealServer!); break;
                case IpvsOperationKind.UpdateRealServer:
                    result[index].Servers[result[index].Servers.FindIndex(s => s.SameEndpoint(step.RealServer!))] = step.RealServer!;
                    break;
                case IpvsOperationKind.DeleteRealServer: result[index].Servers.RemoveAll(s => s.SameEndpoint(step.RealServer!)); break;
            }
        }
        return result.Select(e => new DesiredService(e.Service, e.Servers)).ToList();
    }
}
