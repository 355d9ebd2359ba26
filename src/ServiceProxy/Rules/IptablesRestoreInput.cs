using System.Globalization;
using System.Net;
using System.Text;

namespace ServiceProxy.Rules;

/// <summary>
/// Writes the input for <c>iptables-restore --noflush</c> (or ip6tables-restore) that installs or removes the service
/// rules of one address family. Everything happens in one restore, which the kernel applies as one table update, so
/// packets never see half of a change. Rules are written the way iptables-save prints them back, so the saved table
/// can be compared line for line.
/// </summary>
internal static class IptablesRestoreInput
{
    /// <summary>
    /// Declares the owned chains (with --noflush, declaring a chain empties it, so the old rules go in the same step as
    /// the new ones come), fills them from <paramref name="rules"/>, and adds the jumps from the built-in chains that
    /// <paramref name="installed"/> lacks; jumps already there are left alone so repeated applies add no duplicates.
    /// </summary>
    public static string ForApply(ServiceRuleSet rules, IptablesFamily family, IptablesNatTable installed, IptablesChains? chains = null)
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
            text.Append("-A ").Append(chains.Services)
                .Append(" -d ").Append(Host(vip.Address, family))
                .Append(PortMatch(vip.Protocol, vip.Port))
                .Append(" -j ").Append(chains.VirtualIp).Append('\n');
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
        foreach ((string from, string to, string comment) in chains.Jumps)
        {
            if (!installed.HasJump(from, to))
            {
                // First in the built-in chain: traffic must be marked before another rule there can accept or rewrite it.
                text.Append("-I ").Append(from).Append(" -m comment --comment \"").Append(comment).Append("\" -j ").Append(to).Append('\n');
            }
        }
        text.Append("COMMIT\n");
        return text.ToString();
    }

    /// <summary>
    /// Deletes every jump from a built-in chain into an owned chain, empties the owned chains and deletes them; null when
    /// <paramref name="installed"/> holds nothing of ours.
    /// </summary>
    public static string? ForRemove(IptablesNatTable installed, IptablesChains? chains = null)
    {
        chains ??= IptablesChains.Default;
        ArgumentNullException.ThrowIfNull(installed);
        if (!installed.HasOwnedObjects(chains))
        {
            return null;
        }
        var text = new StringBuilder();
        text.Append("*nat\n");
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
        return text.ToString();
    }

    private static string Host(IPAddress address, IptablesFamily family) =>
        address.ToString() + "/" + family.HostPrefixLength.ToString(CultureInfo.InvariantCulture);

    private static string PortMatch(ServiceProtocol protocol, ushort port)
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
