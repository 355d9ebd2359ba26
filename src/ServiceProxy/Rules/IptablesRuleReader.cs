using System.Globalization;
using System.Net;

namespace ServiceProxy.Rules;

/// <summary>
/// Turns the owned chains of the saved IPv4 and IPv6 nat and filter tables back into a <see cref="ServiceRuleSet"/>: the
/// inverse of <see cref="IptablesRestoreInput.ForApply"/>. Rules of a shape it does not write are ignored.
/// </summary>
internal static class IptablesRuleReader
{
    /// <summary>The installed set, or null when neither table holds anything of ours.</summary>
    public static ServiceRuleSet? Read(IptablesSave ipv4, IptablesSave ipv6, IptablesChains? chains = null)
    {
        chains ??= IptablesChains.Default;
        ArgumentNullException.ThrowIfNull(ipv4);
        ArgumentNullException.ThrowIfNull(ipv6);
        if (!ipv4.HasOwnedObjects(chains) && !ipv6.HasOwnedObjects(chains))
        {
            return null;
        }
        var virtualIps = new List<VirtualIp>();
        var externalIps = new List<VirtualIp>();
        var hairpin = new List<VirtualIp>();
        var nodePorts = new List<NodePort>();
        var clusterCidrs = new List<IPNetwork>();
        bool masqueradeAll = false;
        uint? mark = null;
        var filter = new FilterContents();
        foreach (IptablesSave saved in new[] { ipv4, ipv6 })
        {
            IptablesTable table = saved.Nat;
            filter.Read(saved.Filter, chains);
            foreach (IptablesSavedRule rule in table.RulesOf(chains.Services).Where(r => r.OtherOptions.Count == 0 && r.Source is null))
            {
                if (rule.Target == chains.VirtualIp && HostAddress(rule.Destination) is { } address && rule.DestinationType is null
                    && TryPort(rule, out ServiceProtocol protocol, out ushort port))
                {
                    virtualIps.Add(new VirtualIp(address, protocol, port));
                }
                else if (rule.Target == chains.MarkMasquerade && HostAddress(rule.Destination) is { } external && rule.DestinationType is null
                    && TryPort(rule, out protocol, out port))
                {
                    externalIps.Add(new VirtualIp(external, protocol, port));
                }
                else if (rule.Target == chains.MarkMasquerade && rule.Destination is null && rule.DestinationType == "LOCAL"
                    && TryPort(rule, out protocol, out port))
                {
                    nodePorts.Add(new NodePort(protocol, port));
                }
            }
            foreach (IptablesSavedRule rule in table.RulesOf(chains.VirtualIp).Where(r => r.Target == chains.MarkMasquerade && r.OtherOptions.Count == 0))
            {
                if (rule.Source is null)
                {
                    masqueradeAll = true;
                }
                else if (rule.SourceNegated && IPNetwork.TryParse(rule.Source, out IPNetwork cidr))
                {
                    clusterCidrs.Add(cidr);
                }
            }
            foreach (IptablesSavedRule rule in table.RulesOf(chains.Postrouting).Where(r => r.Target == "MASQUERADE" && r.OtherOptions.Count == 0 && !r.SourceNegated))
            {
                if (HostAddress(rule.Source) is { } source && Equals(source, HostAddress(rule.Destination)) && TryPort(rule, out ServiceProtocol protocol, out ushort port))
                {
                    hairpin.Add(new VirtualIp(source, protocol, port));
                }
            }
            foreach (IptablesSavedRule rule in table.RulesOf(chains.MarkMasquerade).Where(r => r.Target == "MARK"))
            {
                // --or-mark M is saved as --set-xmark M/M: clear M's bits, then flip them on.
                if (rule.MarkTarget?.Split('/') is [string value, string mask] && value == mask)
                {
                    mark ??= ParseNumber(value);
                }
            }
        }
        return new ServiceRuleSet
        {
            MasqueradeMark = mark ?? 0,
            VirtualIps = virtualIps,
            ExternalVirtualIps = externalIps,
            // The filter chain lists every kind of virtual IP; those the nat table does not mark are the unmarked ones.
            UnmarkedVirtualIps = [.. filter.Services.Except(virtualIps).Except(externalIps)],
            NodePorts = nodePorts,
            MasqueradeAll = masqueradeAll,
            ClusterCidrs = clusterCidrs,
            RejectUnknownPortsOn = filter.RejectOn,
            SourceRanges = [.. filter.FirewallTargets.Select(t => new SourceRange(t, [.. filter.Allowed.Where(a => a.Target.Equals(t)).Select(a => a.Range)]))],
            HairpinEndpoints = hairpin,
        }.Normalize();
    }

    /// <summary>What the filter table's owned chains hold, both families together.</summary>
    private sealed class FilterContents
    {
        public List<VirtualIp> Services { get; } = [];

        public List<IPAddress> RejectOn { get; } = [];

        public List<VirtualIp> FirewallTargets { get; } = [];

        public List<(VirtualIp Target, IPNetwork Range)> Allowed { get; } = [];

        public void Read(IptablesTable filter, IptablesChains chains)
        {
            foreach (IptablesSavedRule rule in filter.RulesOf(chains.IpvsFilter).Where(r => r.OtherOptions.Count == 0 && r.Source is null))
            {
                if (rule.Target == "RETURN" && rule.ConnectionState is null && HostAddress(rule.Destination) is { } address
                    && TryPort(rule, out ServiceProtocol protocol, out ushort port))
                {
                    Services.Add(new VirtualIp(address, protocol, port));
                }
                else if (rule.Target == "REJECT" && rule.ConnectionState == "NEW" && rule.DestinationPort is null && HostAddress(rule.Destination) is { } on)
                {
                    RejectOn.Add(on);
                }
            }
            foreach (IptablesSavedRule rule in filter.RulesOf(chains.Firewall)
                .Where(r => r.OtherOptions.Count == 0 && r.Destination is null && !r.SourceNegated && r.ConnectionDirection == "ORIGINAL"))
            {
                if (OriginalDestination(rule) is not { } target)
                {
                    continue;
                }
                if (rule.Target == "DROP" && rule.Source is null)
                {
                    FirewallTargets.Add(target);
                }
                else if (rule.Target == "RETURN" && IPNetwork.TryParse(rule.Source, out IPNetwork range))
                {
                    Allowed.Add((target, range));
                }
            }
        }

        /// <summary>The load balancer IP and port of <c>-p tcp -m conntrack --ctorigdst ADDRESS --ctorigdstport PORT --ctdir ORIGINAL</c>.</summary>
        private static VirtualIp? OriginalDestination(IptablesSavedRule rule) =>
            IPAddress.TryParse(rule.OriginalDestination, out IPAddress? address) && ParseProtocol(rule.Protocol) is { } protocol
                && ushort.TryParse(rule.OriginalDestinationPort, NumberStyles.None, CultureInfo.InvariantCulture, out ushort port)
                ? new VirtualIp(address, protocol, port)
                : null;
    }

    private static ServiceProtocol? ParseProtocol(string? name) => name switch
    {
        "tcp" => ServiceProtocol.Tcp,
        "udp" => ServiceProtocol.Udp,
        "sctp" => ServiceProtocol.Sctp,
        _ => null,
    };

    private static bool TryPort(IptablesSavedRule rule, out ServiceProtocol protocol, out ushort port)
    {
        protocol = default;
        port = 0;
        if (ParseProtocol(rule.Protocol) is not { } p || !ushort.TryParse(rule.DestinationPort, NumberStyles.None, CultureInfo.InvariantCulture, out port))
        {
            return false;
        }
        protocol = p;
        return true;
    }

    /// <summary>198.18.0.1/32 → 198.18.0.1 (iptables-save prints a single address with its full prefix length); null for a wider prefix.</summary>
    private static IPAddress? HostAddress(string? destination)
    {
        if (destination is null || !IPNetwork.TryParse(destination, out IPNetwork network))
        {
            return null;
        }
        return network.PrefixLength == network.BaseAddress.GetAddressBytes().Length * 8 ? network.BaseAddress : null;
    }

    // Null for what is no number: iptables-save output that is not ours reads as "not ours", never as an exception
    // (found by fuzzing, as IPNetwork.Parse on a source that is no network was).
    private static uint? ParseNumber(string text) => (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
        ? uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint hex)
            ? hex : (uint?)null
        : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint number) ? number : null);
}
