using System.Net;

namespace ServiceProxy.Rules;

/// <summary>
/// A load balancer IP and port that only some sources may reach (a Service's spec.loadBalancerSourceRanges; kube-proxy's
/// KUBE-LOAD-BALANCER-FW and KUBE-LOAD-BALANCER-SOURCE-CIDR ipsets): traffic to <see cref="Target"/> from a source
/// outside <see cref="AllowedSources"/> is dropped. The node is a source like any other (kubernetes #119656): its own
/// connections to the IP usually leave from the IP itself, which is bound on this host, so they are dropped unless a
/// range covers that address. No ranges at all drops every source. Node ports are not filtered.
/// <para>Two are equal when they have the same target and the same ranges, in any order.</para>
/// </summary>
/// <param name="Target">The load balancer IP with protocol and port.</param>
/// <param name="AllowedSources">The sources that may reach it, of <see cref="Target"/>'s address family.</param>
public sealed record SourceRange(VirtualIp Target, IReadOnlyList<IPNetwork> AllowedSources)
{
    /// <inheritdoc />
    public bool Equals(SourceRange? other) =>
        other is not null && Equals(Target, other.Target) && AllowedSources.ToHashSet().SetEquals(other.AllowedSources);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Target, AllowedSources.Distinct().Count());

    /// <inheritdoc />
    public override string ToString() => $"{Target} from [{string.Join(", ", AllowedSources)}]";
}
