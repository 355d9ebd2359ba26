using System.Net;
using k8s.Models;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// The node a translation is for: its name (which endpoints are local), its zone (which topology hints apply) and its
/// addresses (where node ports listen, which external IPs are already local, whether the node itself is inside a load
/// balancer's source ranges). Two are equal when all of that is, lists compared by content.
/// </summary>
public sealed record ProxyNode
{
    /// <summary>The label that holds a Node's zone (topology.kubernetes.io/zone).</summary>
    public const string ZoneLabel = "topology.kubernetes.io/zone";

    /// <summary>A node named <paramref name="name"/> in <paramref name="zone"/>, with its addresses.</summary>
    /// <param name="name">The Node's metadata.name.</param>
    /// <param name="zone">The Node's <see cref="ZoneLabel"/>, or null when it has none (then zone hints are ignored).</param>
    /// <param name="nodeAddresses">The node's own addresses (see <see cref="Translation.NodePortAddresses.NodeAddresses"/>).</param>
    /// <param name="nodePortAddresses">The addresses node ports listen on (see <see cref="Translation.NodePortAddresses.Select"/>).</param>
    public ProxyNode(string name, string? zone, IReadOnlyList<IPAddress> nodeAddresses, IReadOnlyList<IPAddress> nodePortAddresses)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(nodeAddresses);
        ArgumentNullException.ThrowIfNull(nodePortAddresses);
        Name = name;
        Zone = string.IsNullOrEmpty(zone) ? null : zone;
        NodeAddresses = nodeAddresses;
        NodePortAddresses = nodePortAddresses;
    }

    /// <summary>The Node's metadata.name.</summary>
    public string Name { get; }

    /// <summary>The Node's zone, or null.</summary>
    public string? Zone { get; }

    /// <summary>The node's own addresses: never bound to the dummy interface.</summary>
    public IReadOnlyList<IPAddress> NodeAddresses { get; }

    /// <summary>The addresses node ports listen on: one virtual server per address and node port.</summary>
    public IReadOnlyList<IPAddress> NodePortAddresses { get; }

    /// <summary>
    /// The node as <paramref name="options"/> configure it, with the zone of <paramref name="node"/> (null before the
    /// Node has been read) and the addresses chosen from <paramref name="local"/> (not those on
    /// <paramref name="dummyInterface"/>, where the virtual IPs live).
    /// </summary>
    public static ProxyNode Create(KubernetesProxyOptions options, V1Node? node, IEnumerable<LocalAddress> local, string dummyInterface)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(local);
        LocalAddress[] addresses = [.. local];
        string? zone = node?.Metadata?.Labels is { } labels && labels.TryGetValue(ZoneLabel, out string? z) ? z : null;
        return new ProxyNode(options.NodeName, zone,
            Translation.NodePortAddresses.NodeAddresses(addresses, dummyInterface),
            Translation.NodePortAddresses.Select(addresses, options.NodePortCidrs, dummyInterface));
    }

    /// <inheritdoc />
    public bool Equals(ProxyNode? other) =>
        other is not null && Name == other.Name && Zone == other.Zone
        && NodeAddresses.SequenceEqual(other.NodeAddresses) && NodePortAddresses.SequenceEqual(other.NodePortAddresses);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Zone, NodeAddresses.Count, NodePortAddresses.Count);
}
