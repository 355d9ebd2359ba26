using System.Net;
using ServiceProxy.Planning;
using ServiceProxy.Rules;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// What one Service (with its EndpointSlices, on one node) asks of the node: its IPVS virtual servers with their real
/// servers, the virtual IPs to bind on the dummy interface, the service rules, its health check node port, and what
/// had to be skipped and why. Equal when all of it is, lists compared by content and order.
/// </summary>
/// <param name="Service">The Service's namespace and name.</param>
/// <param name="Services">One IPVS virtual server per address, port and protocol, in a stable order: cluster IPs, node ports, external IPs, load balancer IPs.</param>
/// <param name="VirtualIps">The addresses to bind to the dummy interface: cluster IPs, external and load balancer IPs that are not node addresses. Sorted, IPv4 first.</param>
/// <param name="Rules">What the service rules need to know.</param>
/// <param name="HealthCheck">The health check node port, or null when the Service has none.</param>
/// <param name="Problems">Parts of the Service or its slices that could not be used, each a sentence naming the Service, for a log.</param>
public sealed record ServiceTranslation(
    ServiceName Service,
    IReadOnlyList<DesiredService> Services,
    IReadOnlyList<IPAddress> VirtualIps,
    ServiceRules Rules,
    HealthCheckNodePort? HealthCheck,
    IReadOnlyList<string> Problems)
{
    /// <summary>
    /// The endpoints on this node that are real servers of the Service, with protocol and port: a pod that reaches
    /// the Service and is sent to itself (hairpin) must be masqueraded, or it would answer itself from its own address
    /// and drop the reply (kube-proxy's KUBE-LOOP-BACK set). Kept apart from <see cref="Rules"/> because it changes
    /// with endpoints, not with the Service.
    /// </summary>
    public IReadOnlyList<VirtualIp> HairpinEndpoints { get; init; } = [];

    /// <summary>A Service that asks for nothing (headless, ExternalName, not this proxy's), with <paramref name="problems"/> if any.</summary>
    public static ServiceTranslation Nothing(ServiceName service, IReadOnlyList<string>? problems = null) =>
        new(service, [], [], ServiceRules.Empty, null, problems ?? []);

    /// <inheritdoc />
    public bool Equals(ServiceTranslation? other) =>
        other is not null && Service == other.Service && Services.SequenceEqual(other.Services)
        && VirtualIps.SequenceEqual(other.VirtualIps) && Rules.Equals(other.Rules)
        && Equals(HealthCheck, other.HealthCheck) && Problems.SequenceEqual(other.Problems)
        && HairpinEndpoints.SequenceEqual(other.HairpinEndpoints);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Service, Services.Count, VirtualIps.Count, Rules, HealthCheck);
}
