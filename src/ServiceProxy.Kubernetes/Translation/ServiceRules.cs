using System.Net;
using ServiceProxy.Rules;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// What the service rules beside IPVS need to know about one Service, or about all of them: the virtual IPs (to mark,
/// accept, and tell apart from ports on them that are no service, kubernetes #72236), the node ports, and the load
/// balancer source ranges. Two are equal when they hold the same items in the same order.
/// </summary>
/// <param name="VirtualIps">Cluster, external and load balancer IPs with protocol and port.</param>
/// <param name="NodePorts">Node ports.</param>
/// <param name="SourceRanges">Source ranges per load balancer IP.</param>
public sealed record ServiceRules(IReadOnlyList<VirtualIpRule> VirtualIps, IReadOnlyList<NodePortRule> NodePorts, IReadOnlyList<SourceRangeRule> SourceRanges)
{
    /// <summary>No rules.</summary>
    public static ServiceRules Empty { get; } = new([], [], []);

    /// <summary>Whether there is no rule at all.</summary>
    public bool IsEmpty => VirtualIps.Count == 0 && NodePorts.Count == 0 && SourceRanges.Count == 0;

    /// <summary>The rules of many Services together, each item once, in the order first seen.</summary>
    public static ServiceRules Union(IEnumerable<ServiceRules> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var virtualIps = new OrderedSet<VirtualIpRule>();
        var nodePorts = new OrderedSet<NodePortRule>();
        var sourceRanges = new OrderedSet<SourceRangeRule>();
        foreach (ServiceRules r in rules)
        {
            virtualIps.AddRange(r.VirtualIps);
            nodePorts.AddRange(r.NodePorts);
            sourceRanges.AddRange(r.SourceRanges);
        }
        return new ServiceRules(virtualIps.Items, nodePorts.Items, sourceRanges.Items);
    }

    /// <summary>
    /// The rule set to install, on <paramref name="template"/>'s mark and masquerade settings (and its bound addresses
    /// and hairpin endpoints): see <see cref="ToRuleSet(ServiceRuleSet, IEnumerable{IPAddress}, IEnumerable{VirtualIp})"/>.
    /// </summary>
    public ServiceRuleSet ToRuleSet(ServiceRuleSet template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return ToRuleSet(template, template.RejectUnknownPortsOn, template.HairpinEndpoints);
    }

    /// <summary>
    /// The rule set to install, on <paramref name="template"/>'s mark and masquerade settings: cluster IPs as
    /// <see cref="ServiceRuleSet.VirtualIps"/> (marked by source), external and load balancer IPs as
    /// <see cref="ServiceRuleSet.ExternalVirtualIps"/> (marked from every source), or, when they preserve the client
    /// address, as <see cref="ServiceRuleSet.UnmarkedVirtualIps"/>; the node ports that do not preserve it; the source
    /// ranges; unknown ports rejected on <paramref name="boundAddresses"/> (the dummy interface's); and
    /// <paramref name="hairpinEndpoints"/> masqueraded. A virtual IP that Services want marked in two ways is marked the
    /// widest way (from every source, then by source), as kube-proxy's overlapping ipsets would mark it. A range list
    /// that holds a node address (<see cref="SourceRangeRule.NodeAllowed"/>) also allows the load balancer IP itself:
    /// the node's own connections to an IP bound on it leave from that IP. The lists keep this object's order, so the
    /// same rules give the same set.
    /// </summary>
    public ServiceRuleSet ToRuleSet(ServiceRuleSet template, IEnumerable<IPAddress> boundAddresses, IEnumerable<VirtualIp> hairpinEndpoints)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(boundAddresses);
        ArgumentNullException.ThrowIfNull(hairpinEndpoints);
        var external = new HashSet<VirtualIp>(VirtualIps.Where(v => v.Kind != VirtualIpKind.ClusterIp && !v.PreservesClientAddress).Select(v => v.Target));
        var cluster = new HashSet<VirtualIp>(VirtualIps.Where(v => v.Kind == VirtualIpKind.ClusterIp).Select(v => v.Target).Where(t => !external.Contains(t)));
        return template with
        {
            VirtualIps = [.. VirtualIps.Select(v => v.Target).Distinct().Where(cluster.Contains)],
            ExternalVirtualIps = [.. VirtualIps.Select(v => v.Target).Distinct().Where(external.Contains)],
            UnmarkedVirtualIps = [.. VirtualIps.Where(v => v.PreservesClientAddress).Select(v => v.Target).Distinct().Where(t => !external.Contains(t) && !cluster.Contains(t))],
            NodePorts = [.. NodePorts.Where(p => !p.PreservesClientAddress).Select(p => p.Port).Distinct()],
            SourceRanges = [.. SourceRanges.Select(r => new SourceRange(r.LoadBalancerIp,
                r.NodeAllowed ? [.. r.AllowedSources, new IPNetwork(r.LoadBalancerIp.Address, r.LoadBalancerIp.IsIPv6 ? 128 : 32)] : r.AllowedSources))],
            RejectUnknownPortsOn = [.. boundAddresses],
            HairpinEndpoints = [.. hairpinEndpoints],
        };
    }

    /// <inheritdoc />
    public bool Equals(ServiceRules? other) =>
        other is not null && VirtualIps.SequenceEqual(other.VirtualIps) && NodePorts.SequenceEqual(other.NodePorts)
        && SourceRanges.SequenceEqual(other.SourceRanges);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(VirtualIps.Count, NodePorts.Count, SourceRanges.Count);

    /// <summary>A list without duplicates that keeps the order items were first added in.</summary>
    private sealed class OrderedSet<T>
        where T : notnull
    {
        private readonly HashSet<T> _seen = [];

        public List<T> Items { get; } = [];

        public void AddRange(IEnumerable<T> items)
        {
            foreach (T item in items)
            {
                if (_seen.Add(item))
                {
                    Items.Add(item);
                }
            }
        }
    }
}
