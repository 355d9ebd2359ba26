using System.Globalization;
using System.Net;
using System.Text;

namespace ServiceProxy.Rules;

/// <summary>
/// Writes the input for <c>iptables-restore --noflush</c> (or ip6tables-restore) that installs or removes the service
/// rules of one address family, in its nat and filter tables. Everything happens in one restore (iptables-nft commits
/// it as one transaction; legacy iptables table by table), so packets never see half of a change. Rules are written
/// the way iptables-save prints them back, so the saved table can be compared line for line.
/// </summary>
internal static class IptablesRestoreInput
{
    /// <summary>
    /// Declares the owned chains (with --noflush, declaring a chain empties it, so the old rules go in the same step as
    /// the new ones come), fills them from <paramref name="rules"/>, and adds the jumps from the built-in chains that
    /// <paramref name="installed"/> lacks; jumps already there are left alone so repeated applies add no duplicates.
    /// </summary>
    public static string ForApply(ServiceRuleSet rules, IptablesFamily family, IptablesSave installed, IptablesChains? chains = null)
    {
        chains ??= IptablesChains.Default;
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(installed);
        ServiceRuleSet set = rules.Normalize();
        var text = new StringBuilder();
        text.Append("*nat\n");
        foreach (string chain in chains.All)
        {
            text.Append(':').Append(chain).Append(" - [0:0]\n");
        }
        foreach (VirtualIp vip in set.VirtualIps.Where(v => v.Address.AddressFamily == family.AddressFamily))
        {
            text.Append("-A ").Append(chains.Services).Append(Destination(vip, family)).Append(" -j ").Append(chains.VirtualIp).Append('\n');
        }
        foreach (VirtualIp vip in set.ExternalVirtualIps.Where(v => v.Address.AddressFamily == family.AddressFamily))
        {
            text.Append("-A ").Append(chains.Services).Append(Destination(vip, family)).Append(" -j ").Append(chains.MarkMasquerade).Append('\n');
        }
        foreach (NodePort nodePort in set.NodePorts)
        {
            text.Append("-A ").Append(chains.Services)
                .Append(PortMatch(nodePort.Protocol, nodePort.Port))
                .Append(" -m addrtype --dst-type LOCAL -j ").Append(chains.MarkMasquerade).Append('\n');
        }
        if (set.MasqueradeAll)
        {
            text.Append("-A ").Append(chains.VirtualIp).Append(" -j ").Append(chains.MarkMasquerade).Append('\n');
        }
        else if ((family == IptablesFamily.IPv4 ? set.ClusterCidrV4 : set.ClusterCidrV6) is { } cidr)
        {
            text.Append("-A ").Append(chains.VirtualIp).Append(" ! -s ").Append(cidr.ToString())
                .Append(" -j ").Append(chains.MarkMasquerade).Append('\n');
        }
        string mark = Hex(set.MasqueradeMark);
        text.Append("-A ").Append(chains.MarkMasquerade).Append(" -j MARK --or-mark ").Append(mark).Append('\n');
        text.Append("-A ").Append(chains.Postrouting).Append(" -m mark --mark ").Append(mark).Append('/').Append(mark)
            .Append(" -j MASQUERADE\n");
        foreach (VirtualIp endpoint in set.HairpinEndpoints.Where(v => v.Address.AddressFamily == family.AddressFamily))
        {
            // kube-proxy's KUBE-LOOP-BACK (dst,dst,src): the endpoint talking to itself through its Service.
            text.Append("-A ").Append(chains.Postrouting).Append(" -s ").Append(Host(endpoint.Address, family))
                .Append(Destination(endpoint, family)).Append(" -j MASQUERADE\n");
        }
        AppendJumps(text, chains.Jumps, installed.Nat);
        text.Append("COMMIT\n");
        text.Append("*filter\n");
        foreach (string chain in chains.FilterChains)
        {
            text.Append(':').Append(chain).Append(" - [0:0]\n");
        }
        IptablesFilterRules.Append(text, set, family, chains);
        AppendJumps(text, chains.FilterJumps, installed.Filter);
        text.Append("COMMIT\n");
        return text.ToString();
    }

    private static void AppendJumps(StringBuilder text, IReadOnlyList<(string From, string To, string Comment)> jumps, IptablesTable installed)
    {
        foreach ((string from, string to, string comment) in jumps)
        {
            if (!installed.HasJump(from, to))
            {
                // First in the built-in chain: traffic must be marked (or filtered) before another rule there can accept or rewrite it.
                text.Append("-I ").Append(from).Append(" -m comment --comment \"").Append(comment).Append("\" -j ").Append(to).Append('\n');
            }
        }
    }

    /// <summary><c> -d VIP/32 -p tcp -m tcp --dport PORT</c>.</summary>
    internal static string Destination(VirtualIp vip, IptablesFamily family) => " -d " + Host(vip.Address, family) + PortMatch(vip.Protocol, vip.Port);

    /// <summary>
    /// Deletes every jump from a built-in chain into an owned chain, empties the owned chains and deletes them, in the nat
    /// and the filter table; null when <paramref name="installed"/> holds nothing of ours.
    /// </summary>
    public static string? ForRemove(IptablesSave installed, IptablesChains? chains = null)
    {
        chains ??= IptablesChains.Default;
        ArgumentNullException.ThrowIfNull(installed);
        if (!installed.HasOwnedObjects(chains))
        {
            return null;
        }
        var text = new StringBuilder();
        AppendRemove(text, "nat", installed.Nat, chains);
        AppendRemove(text, "filter", installed.Filter, chains);
        return text.ToString();
    }

    private static void AppendRemove(StringBuilder text, string table, IptablesTable installed, IptablesChains chains)
    {
        if (!installed.HasOwnedObjects(chains))
        {
            return;
        }
        text.Append('*').Append(table).Append('\n');
        foreach (IptablesSavedRule jump in installed.JumpsIntoOwnedChains(chains))
        {
            // -D with the rule's full spec, exactly as saved, deletes that one rule.
            text.Append("-D").Append(jump.Line.AsSpan(2)).Append('\n');
        }
        List<string> owned = [.. installed.OwnedChains(chains).Order(StringComparer.Ordinal)];
        foreach (string chain in owned)
        {
            // Emptied first, all of them, since a chain cannot be deleted while another one still jumps to it.
            text.Append(':').Append(chain).Append(" - [0:0]\n");
        }
        foreach (string chain in owned)
        {
            text.Append("-X ").Append(chain).Append('\n');
        }
        text.Append("COMMIT\n");
    }

    internal static string Host(IPAddress address, IptablesFamily family) =>
        address.ToString() + "/" + family.HostPrefixLength.ToString(CultureInfo.InvariantCulture);

    internal static string PortMatch(ServiceProtocol protocol, ushort port)
    {
        string name = ProtocolName(protocol);
        return string.Create(CultureInfo.InvariantCulture, $" -p {name} -m {name} --dport {port}");
    }

    internal static string ProtocolName(ServiceProtocol protocol) => protocol switch
    {
        ServiceProtocol.Tcp => "tcp",
        ServiceProtocol.Udp => "udp",
        ServiceProtocol.Sctp => "sctp",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "expected TCP, UDP or SCTP"),
    };

    private static string Hex(uint value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
}
