using Netlink.Tests.Ipvsctl.Declarative;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;
using ServiceProxy.Planning;
using static Netlink.Tests.ServiceProxy.Planning.TableBuilder;

namespace Netlink.Tests.ServiceProxy.Planning;

/// <summary>Applying a plan: one batch on one socket, stopping exactly at the step the kernel refuses.</summary>
public sealed class ServiceTableApplierTests
{
    private static readonly VirtualServiceKey Web = Tcp("198.18.0.1", 80);

    private static readonly DesiredServiceTable ThreeServers = new(
        [Entry(Service(Web), Server("198.19.0.1", 80), Server("198.19.0.2", 80), Server("198.19.0.3", 80))],
        new IpvsTimeouts(1800, 0, 0));

    [Fact]
    public void WholePlan_IsSentInOrder_ThenTheTimeouts()
    {
        var kernel = new EmptyFakeKernel();
        using IpvsClient client = kernel.Open();
        ServiceTablePlan plan = ServiceTablePlanner.Plan(client, ThreeServers);
        ServiceTableApplier.Apply(client, plan);
        Assert.Equal(
            [IpvsConstants.CmdNewService, IpvsConstants.CmdNewDest, IpvsConstants.CmdNewDest, IpvsConstants.CmdNewDest, IpvsConstants.CmdSetConfig],
            kernel.Changes);
    }

    [Fact]
    public void RefusedStep_IsNamed_AndNothingAfterItIsSent()
    {
        var kernel = new EmptyFakeKernel { FailAt = 2 };
        using IpvsClient client = kernel.Open();
        ServiceTablePlan plan = ServiceTablePlanner.Plan(client, ThreeServers);
        ServiceTableApplyException e = Assert.Throws<ServiceTableApplyException>(() => ServiceTableApplier.Apply(client, plan));
        Assert.Equal(2, e.FailedStep);
        Assert.Equal(5, e.StepCount);
        Assert.Equal(IpvsOperationKind.AddRealServer, e.FailedChange!.Kind);
        Assert.Equal("198.19.0.2:80", e.FailedChange.RealServer!.Endpoint);
        Assert.StartsWith("step 3 of 5 failed: add real server 198.19.0.2:80 to TCP 198.18.0.1:80: Invalid argument (EINVAL): address not unicast", e.Message, StringComparison.Ordinal);
        // Service, first server, refused second server; the third and the timeouts never reached the kernel.
        Assert.Equal([IpvsConstants.CmdNewService, IpvsConstants.CmdNewDest, IpvsConstants.CmdNewDest], kernel.Changes);
    }

    [Fact]
    public void EmptyPlan_SendsNothing()
    {
        var kernel = new EmptyFakeKernel();
        using IpvsClient client = kernel.Open();
        ServiceTablePlan plan = ServiceTablePlanner.Plan(client, DesiredServiceTable.Empty);
        Assert.True(plan.IsEmpty);
        ServiceTableApplier.Apply(client, plan);
        Assert.Empty(kernel.Changes);
    }
}
