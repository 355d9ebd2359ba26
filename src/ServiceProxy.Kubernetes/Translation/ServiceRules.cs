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
    /// The part today's rule backends (<see cref="ServiceRuleSet"/>) can install, on <paramref name="template"/>'s mark and
    /// masquerade settings: every virtual IP except those that preserve the client address (which must not be
    /// masqueraded), and the node ports that do not preserve it. External and load balancer IPs are then marked as
    /// cluster IPs are (from outside the cluster CIDR), not from every source as kube-proxy marks them; source ranges
    /// are not expressed at all.
    /// </summary>
    public ServiceRuleSet ToRuleSet(ServiceRuleSet template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template with
        {
            VirtualIps = [.. VirtualIps.Where(v => !v.PreservesClientAddress).Select(v => v.Target).Distinct()],
            NodePorts = [.. NodePorts.Where(p => !p.PreservesClientAddress).Select(p => p.Port).Distinct()],
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
