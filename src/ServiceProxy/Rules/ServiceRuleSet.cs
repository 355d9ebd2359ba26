using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ServiceProxy.Rules;

/// <summary>
/// The NAT rules a service proxy in IPVS mode needs next to IPVS itself, as kube-proxy's IPVS mode installs them: traffic
/// to a <see cref="VirtualIps">virtual IP</see> or a <see cref="NodePorts">node port</see> is marked with
/// <see cref="MasqueradeMark"/>, and marked traffic is masqueraded on its way out, so that replies from real servers on
/// other hosts come back through this one. Which virtual IP traffic is marked is <see cref="MasqueradeAll"/>'s or
/// <see cref="ClusterCidrs"/>' choice; node port traffic always is.
/// <para>
/// Two sets are equal when they install the same rules: the lists compare as sets (order and duplicates do not matter).
/// </para>
/// </summary>
public sealed record ServiceRuleSet
{
    /// <summary>The kube-proxy default mark bit.</summary>
    public const uint DefaultMasqueradeMark = 0x4000;

    /// <summary>
    /// The mark bit (or bits) that asks for masquerading: OR-ed into the packet mark of marked traffic, tested on the way
    /// out. Pick bits no other software on the host uses. Not zero.
    /// </summary>
    public uint MasqueradeMark { get; init; } = DefaultMasqueradeMark;

    /// <summary>The virtual IPs with their protocols and ports; IPv4 and IPv6 mixed.</summary>
    public IReadOnlyList<VirtualIp> VirtualIps { get; init; } = [];

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
    /// Throws <see cref="ArgumentException"/> saying what to change when the set cannot be installed: a zero mark, a
    /// port 0, an address that is neither IPv4 nor IPv6, two cluster CIDRs of one family, or a cluster CIDR together
    /// with <see cref="MasqueradeAll"/>.
    /// </summary>
    public void Validate()
    {
        if (MasqueradeMark == 0)
        {
            throw new ArgumentException("the masquerade mark is 0: choose a mark bit such as 0x4000");
        }
        ArgumentNullException.ThrowIfNull(VirtualIps);
        ArgumentNullException.ThrowIfNull(NodePorts);
        ArgumentNullException.ThrowIfNull(ClusterCidrs);
        foreach (VirtualIp vip in VirtualIps)
        {
            ArgumentNullException.ThrowIfNull(vip);
            if (vip.Address is null || vip.Address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            {
                throw new ArgumentException($"virtual IP '{vip.Address}' is not an IPv4 or IPv6 address");
            }
            if (vip.Port == 0)
            {
                throw new ArgumentException($"virtual IP {vip.Address} has port 0: give the service's port");
            }
            CheckProtocol(vip.Protocol, vip.ToString());
        }
        foreach (NodePort nodePort in NodePorts)
        {
            ArgumentNullException.ThrowIfNull(nodePort);
            if (nodePort.Port == 0)
            {
                throw new ArgumentException("a node port is 0: give the port the service is exposed on");
            }
            CheckProtocol(nodePort.Protocol, nodePort.ToString());
        }
        if (MasqueradeAll && ClusterCidrs.Count > 0)
        {
            throw new ArgumentException("MasqueradeAll marks traffic from every source, so the cluster CIDRs would do nothing: set one or the other");
        }
        foreach (IPNetwork cidr in ClusterCidrs)
        {
            if (cidr.BaseAddress is null || cidr.PrefixLength == 0)
            {
                throw new ArgumentException($"cluster CIDR '{cidr}' covers every address, so nothing would be masqueraded: give the pod network, or set MasqueradeAll");
            }
        }
        foreach (IGrouping<AddressFamily, IPNetwork> family in ClusterCidrs.GroupBy(c => c.BaseAddress.AddressFamily))
        {
            if (family.Count() > 1)
            {
                throw new ArgumentException($"more than one cluster CIDR for {FamilyName(family.Key)} ({string.Join(", ", family)}): give one per address family");
            }
        }
    }

    /// <summary>
    /// The same rules with duplicates dropped and the lists sorted (IPv4 before IPv6, then by address, protocol, port),
    /// the order in which the backends install them and read them back.
    /// </summary>
    public ServiceRuleSet Normalize() => this with
    {
        VirtualIps = [.. VirtualIps.Distinct().OrderBy(v => v.IsIPv6).ThenBy(v => v.Address.GetAddressBytes(), ByteOrder.Instance)
            .ThenBy(v => v.Protocol).ThenBy(v => v.Port)],
        NodePorts = [.. NodePorts.Distinct().OrderBy(p => p.Protocol).ThenBy(p => p.Port)],
        ClusterCidrs = [.. ClusterCidrs.Distinct().OrderBy(c => c.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6)],
    };

    /// <inheritdoc />
    public bool Equals(ServiceRuleSet? other) => other is not null
        && MasqueradeMark == other.MasqueradeMark
        && MasqueradeAll == other.MasqueradeAll
        && VirtualIps.ToHashSet().SetEquals(other.VirtualIps)
        && NodePorts.ToHashSet().SetEquals(other.NodePorts)
        && ClusterCidrs.ToHashSet().SetEquals(other.ClusterCidrs);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(MasqueradeMark, MasqueradeAll, VirtualIps.Distinct().Count(), NodePorts.Distinct().Count());

    /// <inheritdoc />
    public override string ToString()
    {
        ServiceRuleSet n = Normalize();
        string masquerade = MasqueradeAll ? "all" : ClusterCidrs.Count == 0 ? "node ports only" : "from outside " + string.Join(", ", n.ClusterCidrs);
        return string.Create(CultureInfo.InvariantCulture,
            $"mark 0x{MasqueradeMark:x}, masquerade {masquerade}; virtual IPs: [{string.Join(", ", n.VirtualIps)}]; node ports: [{string.Join(", ", n.NodePorts.Select(p => $"{p.Protocol.ToString().ToLowerInvariant()} {p.Port}"))}]");
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

    private static void CheckProtocol(ServiceProtocol protocol, string what)
    {
        if (!Enum.IsDefined(protocol))
        {
            throw new ArgumentException($"{what}: protocol {(byte)protocol} is not TCP, UDP or SCTP");
        }
    }

    private static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => ((ReadOnlySpan<byte>)x).SequenceCompareTo(y);
    }
}
