using System.Net;
using System.Net.Sockets;
using Netlink.Netfilter.IpSet;

namespace ServiceProxy.Rules;

/// <summary>
/// The ipsets the iptables backend keeps its lists in, kube-proxy's shape (KUBE-CLUSTER-IP and the rest), named with
/// <see cref="ServiceRulesOptions.ChainPrefix"/> (defaults shown; every address set has a -V6 twin of family inet6):
/// <code>
/// IPVSD-VIRTUAL-IPS-V4    hash:ip,port      VirtualIps                  matched dst,dst
/// IPVSD-EXTERNAL-IPS-V4   hash:ip,port      ExternalVirtualIps          dst,dst
/// IPVSD-UNMARKED-IPS-V4   hash:ip,port      UnmarkedVirtualIps          dst,dst
/// IPVSD-BOUND-IPS-V4      hash:ip           RejectUnknownPortsOn        dst
/// IPVSD-FW-TARGETS-V4     hash:ip,port      SourceRanges' targets       dst,dst
/// IPVSD-FW-ALLOWED-V4     hash:ip,port,net  target and allowed range    dst,dst,src
/// IPVSD-HAIRPIN-V4        hash:ip,port,ip   endpoint, port, endpoint    dst,dst,src
/// IPVSD-NODE-PORTS-TCP    bitmap:port       NodePorts of TCP (and -UDP, -SCTP; shared by both families)  dst
/// </code>
/// A set is rebuilt under its name plus <see cref="TemporarySuffix"/> and swapped in, so rules see it whole.
/// </summary>
internal sealed class IptablesSets
{
    /// <summary>Appended to a set's name for the copy a full apply fills before swapping it in.</summary>
    public const string TemporarySuffix = "-T";

    /// <summary>The longest suffix a set name gets after the prefix (EXTERNAL-IPS-V4 and the temporary suffix).</summary>
    public const int LongestSuffix = 15 + 2;

    private readonly string _prefix;

    public IptablesSets(string prefix)
    {
        _prefix = prefix;
        var all = new List<IpSetDefinition>();
        foreach (IpSetFamily family in new[] { IpSetFamily.IPv4, IpSetFamily.IPv6 })
        {
            all.Add(Hash(VirtualIps(family), IpSetType.HashIpPort, family));
            all.Add(Hash(ExternalIps(family), IpSetType.HashIpPort, family));
            all.Add(Hash(UnmarkedIps(family), IpSetType.HashIpPort, family));
            all.Add(Hash(BoundIps(family), IpSetType.HashIp, family));
            all.Add(Hash(FirewallTargets(family), IpSetType.HashIpPort, family));
            all.Add(Hash(FirewallAllowed(family), IpSetType.HashIpPortNet, family));
            all.Add(Hash(Hairpin(family), IpSetType.HashIpPortIp, family));
        }
        foreach (ServiceProtocol protocol in Protocols)
        {
            all.Add(new IpSetDefinition(NodePorts(protocol), IpSetType.BitmapPort, IpSetFamily.Unspecified));
        }
        All = all;
    }

    public static IReadOnlyList<ServiceProtocol> Protocols { get; } = [ServiceProtocol.Tcp, ServiceProtocol.Udp, ServiceProtocol.Sctp];

    /// <summary>Every set, IPv4 ones first, then IPv6, then the node port bitmaps.</summary>
    public IReadOnlyList<IpSetDefinition> All { get; }

    public string VirtualIps(IpSetFamily family) => Named("VIRTUAL-IPS", family);

    public string ExternalIps(IpSetFamily family) => Named("EXTERNAL-IPS", family);

    public string UnmarkedIps(IpSetFamily family) => Named("UNMARKED-IPS", family);

    public string BoundIps(IpSetFamily family) => Named("BOUND-IPS", family);

    public string FirewallTargets(IpSetFamily family) => Named("FW-TARGETS", family);

    public string FirewallAllowed(IpSetFamily family) => Named("FW-ALLOWED", family);

    public string Hairpin(IpSetFamily family) => Named("HAIRPIN", family);

    public string NodePorts(ServiceProtocol protocol) => _prefix + "NODE-PORTS-" + IptablesRestoreInput.ProtocolName(protocol).ToUpperInvariant();

    /// <summary>Whether <paramref name="name"/> is one of this backend's sets (or a leftover temporary copy of one).</summary>
    public bool Owns(string name) => name.StartsWith(_prefix, StringComparison.Ordinal);

    /// <summary>Every set's elements for <paramref name="rules"/> (normalized), keyed by set name; empty sets included.</summary>
    public Dictionary<string, List<IpSetEntry>> Contents(ServiceRuleSet rules)
    {
        Dictionary<string, List<IpSetEntry>> contents = All.ToDictionary(s => s.Name, _ => new List<IpSetEntry>(), StringComparer.Ordinal);
        foreach (VirtualIp vip in rules.VirtualIps)
        {
            contents[VirtualIps(FamilyOf(vip.Address))].Add(Entry(vip));
        }
        foreach (VirtualIp vip in rules.ExternalVirtualIps)
        {
            contents[ExternalIps(FamilyOf(vip.Address))].Add(Entry(vip));
        }
        foreach (VirtualIp vip in rules.UnmarkedVirtualIps)
        {
            contents[UnmarkedIps(FamilyOf(vip.Address))].Add(Entry(vip));
        }
        foreach (IPAddress address in rules.RejectUnknownPortsOn)
        {
            contents[BoundIps(FamilyOf(address))].Add(IpSetEntry.Ip(address));
        }
        foreach (SourceRange range in rules.SourceRanges)
        {
            contents[FirewallTargets(FamilyOf(range.Target.Address))].Add(Entry(range.Target));
            foreach (IPNetwork source in range.AllowedSources)
            {
                contents[FirewallAllowed(FamilyOf(range.Target.Address))].Add(Entry(new AllowedSource(range.Target, source)));
            }
        }
        foreach (VirtualIp endpoint in rules.HairpinEndpoints)
        {
            contents[Hairpin(FamilyOf(endpoint.Address))].Add(HairpinEntry(endpoint));
        }
        foreach (NodePort nodePort in rules.NodePorts)
        {
            contents[NodePorts(nodePort.Protocol)].Add(IpSetEntry.PortOnly(nodePort.Port));
        }
        return contents;
    }

    /// <summary>
    /// The element operations of <paramref name="change"/>, every add before any delete (a service moving from one set to
    /// another is in both for a moment, never in neither). Both kinds tolerate what is already done, so a retried change
    /// succeeds.
    /// </summary>
    public void AppendChange(IpSetBatch batch, ServiceRuleChange change)
    {
        foreach (bool adding in new[] { true, false })
        {
            Each(change.VirtualIps, adding, v => (VirtualIps(FamilyOf(v.Address)), Entry(v)));
            Each(change.ExternalVirtualIps, adding, v => (ExternalIps(FamilyOf(v.Address)), Entry(v)));
            Each(change.UnmarkedVirtualIps, adding, v => (UnmarkedIps(FamilyOf(v.Address)), Entry(v)));
            Each(change.RejectUnknownPortsOn, adding, a => (BoundIps(FamilyOf(a)), IpSetEntry.Ip(a)));
            // A range goes in before its target is filtered, and out after it no longer is: no moment drops allowed sources.
            Each(change.AllowedSources, adding, a => (FirewallAllowed(FamilyOf(a.Target.Address)), Entry(a)));
            Each(change.FirewallTargets, adding, v => (FirewallTargets(FamilyOf(v.Address)), Entry(v)));
            Each(change.HairpinEndpoints, adding, v => (Hairpin(FamilyOf(v.Address)), HairpinEntry(v)));
            Each(change.NodePorts, adding, p => (NodePorts(p.Protocol), IpSetEntry.PortOnly(p.Port)));
        }

        void Each<T>(ElementChange<T> list, bool adding, Func<T, (string Set, IpSetEntry Entry)> element)
        {
            foreach (T item in adding ? list.Added : list.Removed)
            {
                (string set, IpSetEntry entry) = element(item);
                if (adding)
                {
                    batch.Add(set, entry, ifMissing: true);
                }
                else
                {
                    batch.Delete(set, entry, ifPresent: true);
                }
            }
        }
    }

    /// <summary>
    /// Reads the lists back from the listed sets (absent sets are empty); the settings come from the rules. Elements of
    /// a shape the backend does not write are ignored.
    /// </summary>
    public ServiceRuleSet Read(ServiceRuleSet settings, IReadOnlyList<IpSetListing> listed)
    {
        Dictionary<string, IReadOnlyList<IpSetEntry>> byName = listed.Where(s => Owns(s.Name)).ToDictionary(s => s.Name, s => s.Entries, StringComparer.Ordinal);
        IEnumerable<IpSetEntry> Of(Func<IpSetFamily, string> name) =>
            new[] { IpSetFamily.IPv4, IpSetFamily.IPv6 }.SelectMany(f => byName.GetValueOrDefault(name(f)) ?? []);
        List<VirtualIp> Vips(Func<IpSetFamily, string> name) => [.. Of(name).Select(ToVirtualIp).OfType<VirtualIp>()];
        List<AllowedSource> allowed = [.. Of(FirewallAllowed).Select(ToAllowedSource).OfType<AllowedSource>()];
        return settings with
        {
            VirtualIps = Vips(VirtualIps),
            ExternalVirtualIps = Vips(ExternalIps),
            UnmarkedVirtualIps = Vips(UnmarkedIps),
            RejectUnknownPortsOn = [.. Of(BoundIps).Where(e => e.Address is not null).Select(e => e.Address!)],
            SourceRanges = [.. Vips(FirewallTargets).Select(t => new SourceRange(t, [.. allowed.Where(a => a.Target.Equals(t)).Select(a => a.Source)]))],
            HairpinEndpoints = [.. Of(Hairpin).Where(e => Equals(e.Address, e.Address2)).Select(ToVirtualIp).OfType<VirtualIp>()],
            NodePorts = [.. Protocols.SelectMany(p => (byName.GetValueOrDefault(NodePorts(p)) ?? []).Where(e => e.Port is not null).Select(e => new NodePort(p, e.Port!.Value)))],
        };
    }

    private static VirtualIp? ToVirtualIp(IpSetEntry entry) =>
        entry is { Address: { } address, Protocol: { } protocol, Port: { } port } && ToServiceProtocol(protocol) is { } service ? new VirtualIp(address, service, port) : null;

    private static AllowedSource? ToAllowedSource(IpSetEntry entry) =>
        ToVirtualIp(entry) is { } target && entry is { Address2: { } source, PrefixLength2: { } prefix } ? new AllowedSource(target, new IPNetwork(source, prefix)) : null;

    private static ServiceProtocol? ToServiceProtocol(ProtocolType protocol) => (int)protocol switch
    {
        6 => ServiceProtocol.Tcp,
        17 => ServiceProtocol.Udp,
        132 => ServiceProtocol.Sctp,
        _ => null,
    };

    private static IpSetEntry Entry(VirtualIp vip) => IpSetEntry.IpPort(vip.Address, (ProtocolType)vip.Protocol, vip.Port);

    private static IpSetEntry Entry(AllowedSource allowed) =>
        IpSetEntry.IpPortNet(allowed.Target.Address, (ProtocolType)allowed.Target.Protocol, allowed.Target.Port, allowed.Source);

    private static IpSetEntry HairpinEntry(VirtualIp endpoint) => IpSetEntry.IpPortIp(endpoint.Address, (ProtocolType)endpoint.Protocol, endpoint.Port, endpoint.Address);

    public static IpSetFamily FamilyOf(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? IpSetFamily.IPv6 : IpSetFamily.IPv4;

    private string Named(string what, IpSetFamily family) => _prefix + what + (family == IpSetFamily.IPv6 ? "-V6" : "-V4");

    private static IpSetDefinition Hash(string name, IpSetType type, IpSetFamily family) =>
        new(name, type, family) { MaxElements = 1 << 20 };
}
