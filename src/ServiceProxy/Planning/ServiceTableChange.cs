using Netlink.Ipvs;

namespace ServiceProxy.Planning;

/// <summary>One step of a <see cref="ServiceTablePlan"/>: one request to the kernel.</summary>
/// <param name="Kind">What the step does.</param>
/// <param name="Service">
/// The service: as desired for <see cref="IpvsOperationKind.AddService"/> and <see cref="IpvsOperationKind.UpdateService"/>,
/// as the kernel holds it for <see cref="IpvsOperationKind.DeleteService"/>; for real server steps, the service they belong to.
/// </param>
/// <param name="RealServer">For real server steps: as desired (add, update) or as the kernel holds it (delete); otherwise null.</param>
/// <param name="Changed">For updates, each changed setting as "name old -> new" ("scheduler rr -> wrr"); otherwise empty.</param>
public sealed record ServiceTableChange(IpvsOperationKind Kind, VirtualService Service, RealServer? RealServer, IReadOnlyList<string> Changed)
{
    /// <summary>The action class of this step, for <see cref="ServiceTableActions"/> checks.</summary>
    public ServiceTableActions Action => Kind switch
    {
        IpvsOperationKind.AddService => ServiceTableActions.AddService,
        IpvsOperationKind.UpdateService => ServiceTableActions.UpdateService,
        IpvsOperationKind.DeleteService => ServiceTableActions.DeleteService,
        IpvsOperationKind.AddRealServer => ServiceTableActions.AddRealServer,
        IpvsOperationKind.UpdateRealServer => ServiceTableActions.UpdateRealServer,
        _ => ServiceTableActions.DeleteRealServer,
    };

    /// <summary>"add real server 198.19.0.1:8080 to TCP 198.18.0.1:80", as the library's errors name operations.</summary>
    public override string ToString()
    {
        (string operation, string? target) = IpvsClient.Describe(Kind, Service.Key, RealServer);
        return Changed.Count == 0 ? $"{operation} {target}" : $"{operation} {target} ({string.Join(", ", Changed)})";
    }
}
