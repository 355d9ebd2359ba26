using Netlink.Ipvs;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// Two or more Services ask for the same IPVS virtual server (address, port and protocol: an external IP or load
/// balancer IP given to two Services, say). The oldest Service (by metadata.creationTimestamp, then namespace and name)
/// keeps it, so the answer does not depend on the order the API reported them in; the others lose that virtual server
/// only.
/// </summary>
/// <param name="Key">The virtual server asked for.</param>
/// <param name="Winner">The Service that has it.</param>
/// <param name="Losers">The Services that asked for it too, oldest first.</param>
public sealed record ServiceConflict(VirtualServiceKey Key, ServiceName Winner, IReadOnlyList<ServiceName> Losers)
{
    /// <inheritdoc />
    public bool Equals(ServiceConflict? other) =>
        other is not null && Key.Equals(other.Key) && Winner == other.Winner && Losers.SequenceEqual(other.Losers);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Key, Winner, Losers.Count);

    /// <inheritdoc />
    public override string ToString() => $"{Key} is asked for by {Winner} and {string.Join(", ", Losers)}: {Winner}, the oldest, has it";
}
