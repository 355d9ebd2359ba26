using ServiceProxy.Rules;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>A virtual IP with protocol and port that the service rules must know: mark it for masquerading, accept it, and not reject it.</summary>
/// <param name="Target">The address, protocol and port.</param>
/// <param name="Kind">Cluster IP, external IP or load balancer IP.</param>
/// <param name="PreservesClientAddress">
/// externalTrafficPolicy Local on an external or load balancer IP: traffic from outside keeps its source address (not
/// masqueraded), which only local endpoints can answer. Always false for cluster IPs.
/// </param>
public sealed record VirtualIpRule(VirtualIp Target, VirtualIpKind Kind, bool PreservesClientAddress)
{
    /// <inheritdoc />
    public override string ToString() => PreservesClientAddress ? $"{Kind} {Target} (local)" : $"{Kind} {Target}";
}
