namespace ServiceProxy.Kubernetes.Translation;

/// <summary>Where a Service's virtual IP comes from, which decides how traffic to it is masqueraded.</summary>
public enum VirtualIpKind
{
    /// <summary>spec.clusterIPs: masqueraded from outside the cluster CIDR, or always with masquerade-all.</summary>
    ClusterIp,

    /// <summary>spec.externalIPs: masqueraded unless externalTrafficPolicy is Local.</summary>
    ExternalIp,

    /// <summary>status.loadBalancer.ingress[].ip: masqueraded unless externalTrafficPolicy is Local; loadBalancerSourceRanges apply.</summary>
    LoadBalancerIp,
}
