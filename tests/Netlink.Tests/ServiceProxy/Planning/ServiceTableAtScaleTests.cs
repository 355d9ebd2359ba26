using System.Diagnostics;
using System.Net;
using Netlink.Ipvs;
using Netlink.Testing;
using ServiceProxy.Planning;

namespace Netlink.Tests.ServiceProxy.Planning;

/// <summary>
/// The planner and applier at a cluster's scale, 10,000 services x 10 real servers, against the in-memory IPVS kernel
/// of Netlink.Testing (which enforces the kernel's rules): a full load, then a single change that costs a single
/// step, then a refusal in the middle that planning again repairs. No timing is asserted; it runs in seconds.
/// </summary>
public sealed class ServiceTableAtScaleTests
{
    private const int Services = 10_000;
    private const int ServersPerService = 10;

    private static readonly NetlinkBatchOptions ManyPerSend = NetlinkBatchOptions.Default;

    [Fact]
    public void TenThousandServices_LoadWhole_AndPlanNothingMoreAfterwards()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        DesiredServiceTable desired = Table(Services);

        ServiceTablePlan plan = ServiceTablePlanner.Plan(ipvs, desired);
        ServiceTableApplier.Apply(ipvs, plan, ManyPerSend);

        Assert.Equal(Services * (1 + ServersPerService), plan.Changes.Count);
        Assert.Equal((Services, Services * ServersPerService), (kernel.ServiceCount, kernel.RealServerCount));
        Assert.True(ServiceTablePlanner.Plan(ipvs, desired).IsEmpty, "a table read back from the kernel still differs from the one just applied");
    }

    [Fact]
    public void OneChangedService_CostsOnlyItsOwnSteps()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        DesiredServiceTable desired = Table(Services);
        ServiceTableApplier.Apply(ipvs, ServiceTablePlanner.Plan(ipvs, desired), ManyPerSend);
        long changesBefore = kernel.ChangeCount;

        DesiredService target = desired.Services[4_321];
        RealServer drained = target.RealServers[3] with { Weight = 0 };
        var changed = new DesiredServiceTable(
            [.. desired.Services.Select(s => s == target ? s with { RealServers = [.. s.RealServers.Select(r => r.SameEndpoint(drained) ? drained : r)] } : s)],
            desired.Timeouts);
        ServiceTablePlan plan = ServiceTablePlanner.Plan(ipvs, changed);
        ServiceTableApplier.Apply(ipvs, plan);

        ServiceTableChange only = Assert.Single(plan.Changes);
        Assert.Equal(IpvsOperationKind.UpdateRealServer, only.Kind);
        Assert.Equal(drained, only.RealServer);
        Assert.Equal(1, kernel.ChangeCount - changesBefore);
        Assert.Equal(0, ipvs.ListRealServers(target.Service.Key).Single(o => o.Settings.SameEndpoint(drained)).Settings.Weight);
    }

    [Fact]
    public void ARefusalMidway_StopsThere_AndPlanningAgainFinishesTheJob()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        DesiredServiceTable desired = Table(1_000);
        kernel.RefuseChange(5_000, Errno.ENOMEM);

        ServiceTablePlan first = ServiceTablePlanner.Plan(ipvs, desired);
        ServiceTableApplyException e = Assert.Throws<ServiceTableApplyException>(() => ServiceTableApplier.Apply(ipvs, first));
        Assert.Equal(Errno.ENOMEM, Assert.IsType<NetlinkException>(e.InnerException, exactMatch: false).ErrorNumber);
        Assert.Equal(4_999, e.FailedStep);
        Assert.Equal(5_000, kernel.ChangeCount);   // the refused change was the last one the kernel saw

        ServiceTablePlan second = ServiceTablePlanner.Plan(ipvs, desired);
        ServiceTableApplier.Apply(ipvs, second);

        Assert.Equal(first.Changes.Count - e.FailedStep, second.Changes.Count);
        Assert.Equal((1_000, 1_000 * ServersPerService), (kernel.ServiceCount, kernel.RealServerCount));
        Assert.True(ServiceTablePlanner.Plan(ipvs, desired).IsEmpty);
    }

    /// <summary>Services on 198.18.x.y:80 with real servers on 198.19.x.y:8080, all masqueraded, wrr.</summary>
    private static DesiredServiceTable Table(int services)
    {
        var entries = new List<DesiredService>(services);
        for (int i = 0; i < services; i++)
        {
            var key = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, new IPAddress([198, 18, (byte)(i >> 8), (byte)i]), 80);
            var servers = new RealServer[ServersPerService];
            for (int j = 0; j < ServersPerService; j++)
            {
                int n = (i * ServersPerService) + j;
                servers[j] = new RealServer(new IPAddress([198, 19, (byte)(n >> 8), (byte)n]), 8080)
                {
                    Forwarding = ForwardingMethod.Masquerade,
                    Weight = 1 + (j % 3),
                };
            }
            entries.Add(new DesiredService(new VirtualService(key) { Scheduler = "wrr" }, servers));
        }
        Debug.Assert(entries.Select(e => e.Service.Key).Distinct().Count() == services);
        return new DesiredServiceTable(entries);
    }
}
