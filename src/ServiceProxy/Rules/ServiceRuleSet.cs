using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ServiceProxy.Rules;

/// <summary>
/// The rules a service proxy in IPVS mode needs next to IPVS itself, as kube-proxy's IPVS mode installs them: traffic
/// to a <see cref="VirtualIps">virtual IP</see> or a <see cref="NodePorts">node port</see> is marked with
/// <see cref="MasqueradeMark"/>, and marked traffic is masqueraded on its way out, so that replies from real servers on
/// other hosts come back through this one. Which virtual IP traffic is marked is <see cref="MasqueradeAll"/>'s or
/// <see cref="ClusterCidrs"/>' choice; node port and <see cref="ExternalVirtualIps">external virtual IP</see> traffic
/// always is, <see cref="UnmarkedVirtualIps"/> traffic never. Beside the marking, in the filter stage before IPVS takes
/// a packet: new connections to an address of <see cref="RejectUnknownPortsOn"/> on a port that is no virtual IP are
/// rejected, and <see cref="SourceRanges"/> drop the sources a load balancer IP does not allow; on the way out,
/// <see cref="HairpinEndpoints"/> traffic is masqueraded. Every list but <see cref="VirtualIps"/> and
/// <see cref="NodePorts"/> is empty by default, and empty means that part installs nothing that acts on traffic.
/// <para>
/// Two sets are equal when they install the same rules: the lists compare as sets (order and duplicates do not matter).
/// </para>
/// </summary>
public sealed partial record ServiceRuleSet
{
    /// <summary>The kube-proxy default mark bit.</summary>
    public const uint DefaultMasqueradeMark = 0x4000;

    /// <summary>
    /// The mark bit (or bits) that asks for masquerading: OR-ed into the packet mark of marked traffic, tested on the way
    /// out. Pick bits no other software on the host uses. Not zero.
    /// </summary>
    public uint MasqueradeMark { get; init; } = DefaultMasqueradeMark;

    /// <summary>
    /// The virtual IPs with their protocols and ports (Kubernetes cluster IPs; kube-proxy's KUBE-CLUSTER-IP ipset), IPv4 and
    /// IPv6 mixed: marked by source, as <see cref="MasqueradeAll"/> and <see cref="ClusterCidrs"/> say.
    /// </summary>
    public IReadOnlyList<VirtualIp> VirtualIps { get; init; } = [];

    /// <summary>
    /// Virtual IPs marked from every source (Kubernetes externalIPs and load balancer ingress IPs; kube-proxy's
    /// KUBE-EXTERNAL-IP and KUBE-LOAD-BALANCER ipsets, whose traffic goes to KUBE-MARK-MASQ whatever its source).
    /// </summary>
    public IReadOnlyList<VirtualIp> ExternalVirtualIps { get; init; } = [];

    /// <summary>
    /// Virtual IPs never marked, so their traffic keeps its source address (externalTrafficPolicy Local; kube-proxy's
    /// KUBE-EXTERNAL-IP-LOCAL and KUBE-LOAD-BALANCER-LOCAL). They are services all the same: not rejected by
    /// <see cref="RejectUnknownPortsOn"/>.
    /// </summary>
    public IReadOnlyList<VirtualIp> UnmarkedVirtualIps { get; init; } = [];

    /// <summary>
    /// The addresses bound on the dummy interface (kube-proxy's KUBE-IPVS-IPS ipset): a new TCP, UDP or SCTP connection to
    /// one of them whose address, protocol and port is none of <see cref="VirtualIps"/>, <see cref="ExternalVirtualIps"/>
    /// and <see cref="UnmarkedVirtualIps"/> is rejected (TCP with a reset, the others with ICMP port unreachable), before
    /// IPVS or a local socket sees it; otherwise a host process listening on a wildcard address would answer on every
    /// virtual IP (kubernetes #72236; kube-proxy's KUBE-IPVS-FILTER chain). Established and related traffic and ICMP pass.
    /// </summary>
    public IReadOnlyList<IPAddress> RejectUnknownPortsOn { get; init; } = [];

    /// <summary>
    /// Load balancer IPs and ports that only some sources may reach (loadBalancerSourceRanges); see
    /// <see cref="SourceRange"/>. Several entries for one target allow the union of their ranges.
    /// </summary>
    public IReadOnlyList<SourceRange> SourceRanges { get; init; } = [];

    /// <summary>
    /// Endpoints (address, protocol, port) whose traffic to themselves is masqueraded (kube-proxy's KUBE-LOOP-BACK ipset,
    /// matched dst,dst,src): a pod that reached its own Service and was sent to itself by IPVS must see the reply come
    /// from another address, or it drops it.
    /// </summary>
    public IReadOnlyList<VirtualIp> HairpinEndpoints { get; init; } = [];

    /// <summary>The node ports: traffic to any local address on one of them is marked.</summary>
    public IReadOnlyList<NodePort> NodePorts { get; init; } = [];

    /// <summary>Marks all traffic to virtual IPs, whatever its source (kube-proxy's --masquerade-all).</summary>
    public bool MasqueradeAll { get; init; }

    /// <summary>
    /// The pod network, at most one per address family: traffic to a virtual IP from outside it is marked, from inside
    /// it is not (pods reach services with their own source address). Without a CIDR for a family and without
    /// <see cref="MasqueradeAll"/>, virtual IP traffic of that family is not marked. Not allowed with <see cref="MasqueradeAll"/>,
    /// which would make it meaningless.
    /// </summary>
    public IReadOnlyList<IPNetwork> ClusterCidrs { get; init; } = [];

    /// <summary>The IPv4 cluster CIDR, if any.</summary>
    public IPNetwork? ClusterCidrV4 => ClusterCidrFor(AddressFamily.InterNetwork);

    /// <summary>The IPv6 cluster CIDR, if any.</summary>
    public IPNetwork? ClusterCidrV6 => ClusterCidrFor(AddressFamily.InterNetworkV6);

    /// <summary>
    /// The same rules with duplicates dropped and the lists sorted (IPv4 before IPv6, then by address, protocol, port),
    /// the order in which the backends install them and read them back. Source ranges of one target are merged into one
    /// entry, and a range inside another of the same target is dropped.
    /// </summary>
    public ServiceRuleSet Normalize() => this with
    {
        VirtualIps = RuleOrder.Sorted(VirtualIps),
        ExternalVirtualIps = RuleOrder.Sorted(ExternalVirtualIps),
        UnmarkedVirtualIps = RuleOrder.Sorted(UnmarkedVirtualIps),
        NodePorts = [.. NodePorts.Distinct().OrderBy(p => p.Protocol).ThenBy(p => p.Port)],
        ClusterCidrs = [.. ClusterCidrs.Distinct().OrderBy(c => c.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6)],
        RejectUnknownPortsOn = RuleOrder.Sorted(RejectUnknownPortsOn),
        SourceRanges = MergedSourceRanges(SourceRanges),
        HairpinEndpoints = RuleOrder.Sorted(HairpinEndpoints),
    };

    /// <inheritdoc />
    public bool Equals(ServiceRuleSet? other) => other is not null
        && MasqueradeMark == other.MasqueradeMark
        && MasqueradeAll == other.MasqueradeAll
        && VirtualIps.ToHashSet().SetEquals(other.VirtualIps)
        && ExternalVirtualIps.ToHashSet().SetEquals(other.ExternalVirtualIps)
        && UnmarkedVirtualIps.ToHashSet().SetEquals(other.UnmarkedVirtualIps)
        && NodePorts.ToHashSet().SetEquals(other.NodePorts)
        && ClusterCidrs.ToHashSet().SetEquals(other.ClusterCidrs)
        && RejectUnknownPortsOn.ToHashSet().SetEquals(other.RejectUnknownPortsOn)
        && MergedSourceRanges(SourceRanges).SequenceEqual(MergedSourceRanges(other.SourceRanges))
        && HairpinEndpoints.ToHashSet().SetEquals(other.HairpinEndpoints);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(MasqueradeMark, MasqueradeAll, VirtualIps.Distinct().Count(), NodePorts.Distinct().Count(),
        ExternalVirtualIps.Distinct().Count(), UnmarkedVirtualIps.Distinct().Count(), RejectUnknownPortsOn.Distinct().Count(), HairpinEndpoints.Distinct().Count());

    /// <inheritdoc />
    public override string ToString()
    {
        ServiceRuleSet n = Normalize();
        string masquerade = MasqueradeAll ? "all" : ClusterCidrs.Count == 0 ? "node ports only" : "from outside " + string.Join(", ", n.ClusterCidrs);
        var text = new System.Text.StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"mark 0x{MasqueradeMark:x}, masquerade {masquerade}; virtual IPs: [{string.Join(", ", n.VirtualIps)}]; node ports: [{string.Join(", ", n.NodePorts.Select(p => $"{p.Protocol.ToString().ToLowerInvariant()} {p.Port}"))}]"));
        // Only the lists in use, so a set without them reads as it always did.
        AppendList(text, "external virtual IPs", n.ExternalVirtualIps);
        AppendList(text, "unmarked virtual IPs", n.UnmarkedVirtualIps);
        AppendList(text, "reject unknown ports on", n.RejectUnknownPortsOn);
        AppendList(text, "source ranges", n.SourceRanges);
        AppendList(text, "hairpin endpoints", n.HairpinEndpoints);
        return text.ToString();
    }

    private static void AppendList<T>(System.Text.StringBuilder text, string name, IReadOnlyList<T> items)
    {
        if (items.Count > 0)
        {
            text.Append("; ").Append(name).Append(": [").AppendJoin(", ", items).Append(']');
        }
    }

    private static IReadOnlyList<SourceRange> MergedSourceRanges(IEnumerable<SourceRange> ranges)
    {
        var byTarget = ranges.GroupBy(r => r.Target).ToDictionary(g => g.Key, g => RuleOrder.Widest(g.SelectMany(r => r.AllowedSources)));
        return [.. RuleOrder.Sorted(byTarget.Keys).Select(target => new SourceRange(target, byTarget[target]))];
    }

    private IPNetwork? ClusterCidrFor(AddressFamily family)
    {
        foreach (IPNetwork cidr in ClusterCidrs)
        {
            if (cidr.BaseAddress.AddressFamily == family)
            {
                return cidr;
            }
        }
        return null;
    }
}
