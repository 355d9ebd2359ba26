using System.Net;
using ServiceProxy.Rules;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// spec.loadBalancerSourceRanges on one load balancer IP: traffic to it from any other source is dropped. Node ports are
/// not covered (kube-proxy does not filter them either). The node itself is a source like any other: unless one of the
/// ranges holds a node address, traffic from the node to the load balancer IP is dropped too (kubernetes #119656,
/// where nodes bypassed the ranges). Equal when the same ranges are given in the same order.
/// </summary>
/// <param name="LoadBalancerIp">The load balancer IP with protocol and port.</param>
/// <param name="AllowedSources">The ranges of the IP's family, as given (host bits cleared).</param>
/// <param name="NodeAllowed">Whether one of the ranges holds one of the node's addresses of that family.</param>
public sealed record SourceRangeRule(VirtualIp LoadBalancerIp, IReadOnlyList<IPNetwork> AllowedSources, bool NodeAllowed)
{
    /// <inheritdoc />
    public bool Equals(SourceRangeRule? other) =>
        other is not null && LoadBalancerIp.Equals(other.LoadBalancerIp) && NodeAllowed == other.NodeAllowed
        && AllowedSources.SequenceEqual(other.AllowedSources);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(LoadBalancerIp, NodeAllowed, AllowedSources.Count);

    /// <inheritdoc />
    public override string ToString() =>
        $"{LoadBalancerIp} from [{string.Join(", ", AllowedSources)}]{(NodeAllowed ? "" : ", not from this node")}";
}
