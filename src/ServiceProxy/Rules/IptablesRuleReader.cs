using System.Globalization;
using System.Net;

namespace ServiceProxy.Rules;

/// <summary>
/// Turns the owned chains of the saved IPv4 and IPv6 nat tables back into a <see cref="ServiceRuleSet"/>: the inverse of
/// <see cref="IptablesRestoreInput.ForApply"/>. Rules of a shape it does not write are ignored.
/// </summary>
internal static class IptablesRuleReader
{
    /// <summary>The installed set, or null when neither table holds anything of ours.</summary>
    public static ServiceRuleSet? Read(IptablesNatTable ipv4, IptablesNatTable ipv6, IptablesChains? chains = null)
    {
        chains ??= IptablesChains.Default;
        ArgumentNullException.ThrowIfNull(ipv4);
        ArgumentNullException.ThrowIfNull(ipv6);
        if (!ipv4.HasOwnedObjects(chains) && !ipv6.HasOwnedObjects(chains))
        {
            return null;
        }
        var virtualIps = new List<VirtualIp>();
        var nodePorts = new List<NodePort>();
        var clusterCidrs = new List<IPNetwork>();
        bool masqueradeAll = false;
        uint? mark = null;
        foreach (IptablesNatTable table in new[] { ipv4, ipv6 })
        {
            foreach (IptablesSavedRule rule in table.RulesOf(chains.Services).Where(r => r.OtherOptions.Count == 0 && r.Source is null))
            {
                if (rule.Target == chains.VirtualIp && HostAddress(rule.Destination) is { } address && rule.DestinationType is null
                    && TryPort(rule, out ServiceProtocol protocol, out ushort port))
                {
                    virtualIps.Add(new VirtualIp(address, protocol, port));
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
                else if (rule.SourceNegated)
                {
                    clusterCidrs.Add(IPNetwork.Parse(rule.Source));
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
            NodePorts = nodePorts,
            MasqueradeAll = masqueradeAll,
            ClusterCidrs = clusterCidrs,
        }.Normalize();
    }

    private static bool TryPort(IptablesSavedRule rule, out ServiceProtocol protocol, out ushort port)
    {
        protocol = default;
        port = 0;
        ServiceProtocol? parsed = rule.Protocol switch
        {
            "tcp" => ServiceProtocol.Tcp,
            "udp" => ServiceProtocol.Udp,
            "sctp" => ServiceProtocol.Sctp,
            _ => null,
        };
        if (parsed is not { } p || !ushort.TryParse(rule.DestinationPort, NumberStyles.None, CultureInfo.InvariantCulture, out port))
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

    private static uint ParseNumber(string text) => text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
        ? uint.Parse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
        : uint.Parse(text, CultureInfo.InvariantCulture);
}
