using Netlink.Ipvs;
using ServiceProxy.Planning;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// What changed in the desired state since the last time changes were taken: the IPVS services in the shape
/// <c>ServiceReconciler.SetDesired(changed, removed)</c> takes, whether the virtual IPs or the service rules changed (then
/// read them whole from <see cref="KubernetesDesiredState"/>), the health check node ports that changed, the conflicts
/// among the Services touched, and the problems met while translating them.
/// </summary>
/// <param name="Changed">Virtual servers added or changed, as they are now desired.</param>
/// <param name="Removed">Virtual servers no Service asks for any more.</param>
/// <param name="VirtualIpsChanged">Whether <see cref="KubernetesDesiredState.VirtualIps"/> changed.</param>
/// <param name="RulesChanged">Whether <see cref="KubernetesDesiredState.Rules"/> changed.</param>
/// <param name="HairpinEndpointsChanged">Whether <see cref="KubernetesDesiredState.HairpinEndpoints"/> changed (a local endpoint came or went).</param>
/// <param name="HealthCheckNodePorts">Health check node ports that appeared, went or changed their count.</param>
/// <param name="Conflicts">Virtual servers touched by these changes that more than one Service asks for.</param>
/// <param name="Problems">What could not be used in the Services translated, each said once until it changes.</param>
public sealed record DesiredStateChanges(
    IReadOnlyList<DesiredService> Changed,
    IReadOnlyList<VirtualServiceKey> Removed,
    bool VirtualIpsChanged,
    bool RulesChanged,
    bool HairpinEndpointsChanged,
    IReadOnlyList<HealthCheckNodePortChange> HealthCheckNodePorts,
    IReadOnlyList<ServiceConflict> Conflicts,
    IReadOnlyList<string> Problems)
{
    /// <summary>No change.</summary>
    public static DesiredStateChanges None { get; } = new([], [], false, false, false, [], [], []);

    /// <summary>Whether nothing changed (problems and conflicts aside).</summary>
    public bool IsEmpty => Changed.Count == 0 && Removed.Count == 0 && !VirtualIpsChanged && !RulesChanged && !HairpinEndpointsChanged
        && HealthCheckNodePorts.Count == 0;
}
