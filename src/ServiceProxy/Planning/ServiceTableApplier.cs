using Netlink;
using Netlink.Ipvs;

namespace ServiceProxy.Planning;

/// <summary>Sends a <see cref="ServiceTablePlan"/> to the kernel as one <see cref="IpvsBatch"/> on the client's socket.</summary>
public static class ServiceTableApplier
{
    /// <summary>
    /// One request per send: the kernel processes every request of a datagram even after one fails, so only this
    /// stops exactly at the failed step, which is what "apply nothing further" needs. Callers applying many
    /// thousands of steps can pass larger sends and accept that the rest of the failing send was applied too
    /// (still safe: every step moves toward the desired table, so planning again repairs either way).
    /// </summary>
    public static NetlinkBatchOptions StopAtFailure { get; } = new() { MaxRequestsPerSend = 1 };

    /// <summary>
    /// Applies every step of <paramref name="plan"/> in order, then the timeouts. When the kernel refuses a step,
    /// throws <see cref="ServiceTableApplyException"/> naming it; the steps before it stay applied and (with the
    /// default <paramref name="options"/>) none after it is sent, a state that planning and applying again repairs.
    /// </summary>
    /// <param name="client">An open client.</param>
    /// <param name="plan">The plan, normally just made against this client's table.</param>
    /// <param name="options">How to batch; null means <see cref="StopAtFailure"/>.</param>
    public static void Apply(IIpvsClient client, ServiceTablePlan plan, NetlinkBatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(plan);
        using (IpvsBatch batch = client.CreateBatch())
        {
            foreach (ServiceTableChange change in plan.Changes)
            {
                Queue(batch, change);
            }
            try
            {
                client.Execute(batch, options ?? StopAtFailure);
            }
            catch (NetlinkBatchException e)
            {
                throw new ServiceTableApplyException(plan, e.FailedIndex, e);
            }
        }
        if (plan.Timeouts is not null)
        {
            try
            {
                client.SetTimeouts(plan.Timeouts);
            }
            catch (NetlinkException e)
            {
                throw new ServiceTableApplyException(plan, plan.Changes.Count, e);
            }
        }
    }

    private static void Queue(IpvsBatch batch, ServiceTableChange change)
    {
        switch (change.Kind)
        {
            case IpvsOperationKind.AddService:
                batch.AddService(change.Service);
                break;
            case IpvsOperationKind.UpdateService:
                batch.UpdateService(change.Service);
                break;
            case IpvsOperationKind.DeleteService:
                batch.DeleteService(change.Service.Key);
                break;
            case IpvsOperationKind.AddRealServer:
                batch.AddRealServer(change.Service.Key, RealServerOf(change));
                break;
            case IpvsOperationKind.UpdateRealServer:
                batch.UpdateRealServer(change.Service.Key, RealServerOf(change));
                break;
            case IpvsOperationKind.DeleteRealServer:
                batch.DeleteRealServer(change.Service.Key, RealServerOf(change));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change.Kind, "unknown kind of change");
        }
    }

    private static RealServer RealServerOf(ServiceTableChange change) =>
        change.RealServer ?? throw new ArgumentException($"{change.Kind} needs a real server", nameof(change));
}
