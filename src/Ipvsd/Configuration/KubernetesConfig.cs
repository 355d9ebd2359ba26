using System.Net;

namespace Ipvsd.Configuration;

/// <summary>
/// The <c>kubernetes:</c> section: ipvsd takes its services from the API server's Services and EndpointSlices, as
/// kube-proxy's IPVS mode did, instead of from model files.
/// </summary>
internal sealed record KubernetesConfig
{
    /// <summary>The kubeconfig file; null inside a pod, where the service account is used.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>This node's name (its Node object); from $NODE_NAME or the host name when not given.</summary>
    public required string NodeName { get; init; }

    /// <summary>Serve the Services labelled service.kubernetes.io/service-proxy-name with this; null to replace kube-proxy.</summary>
    public string? ServiceProxyName { get; init; }

    /// <summary>The IPVS scheduler of every virtual server (kube-proxy's --ipvs-scheduler).</summary>
    public string Scheduler { get; init; } = "rr";

    /// <summary>Node ports listen on the node's addresses inside these (--nodeport-addresses); empty for all of them.</summary>
    public IReadOnlyList<IPNetwork> NodePortAddresses { get; init; } = [];

    /// <summary>Sets arp_ignore=1 and arp_announce=2 (--ipvs-strict-arp), so the node does not answer ARP for the virtual IPs.</summary>
    public bool StrictArp { get; init; }
}
