using System.Globalization;
using System.Net;
using System.Text;

namespace ServiceProxy.Rules;

/// <summary>
/// Writes the input for <c>iptables-restore --noflush</c> (or ip6tables-restore) that installs or removes the service
/// rules of one address family, in its nat, filter and mangle tables. The rules are a fixed set that depends only on the
/// settings (mark, masquerade-all, cluster CIDR), never on the number of services: the lists live in ipsets
/// (<see cref="IptablesSets"/>). Everything happens in one restore (iptables-nft commits it as one transaction; legacy
/// iptables table by table). Rules are written exactly as iptables-save prints them, so the saved tables can be
/// compared line for line (<see cref="Rules"/>).
/// </summary>
internal static class IptablesRestoreInput
{
    /// <summary>The tables the backend writes to, in the order the restore input has them.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["nat", "filter", "mangle"];

    /// <summary>
    /// Declares the owned chains (with --noflush, declaring a chain empties it, so the old rules go in the same step as
    /// the new ones come), fills them for <paramref name="rules"/>' settings, adds the jumps from the built-in chains that
    /// <paramref name="installed"/> lacks (jumps already there are left alone, so repeated applies add no duplicates), and
    /// deletes owned chains this layout no longer has (an older version's), with their jumps.
    /// </summary>
    public static string ForApply(ServiceRuleSet rules, IptablesFamily family, IptablesSave installed, IptablesChains? chains = null)
    {
        chains ??= IptablesChains.Default;
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(installed);
        var text = new StringBuilder();
        foreach (string table in Tables)
        {
            (IReadOnlyList<string> owned, IReadOnlyList<(string From, string To, string Comment)> jumps) = Layout(table, chains);
            IptablesTable saved = installed.Table(table);
            List<string> stale = [.. saved.OwnedChains(chains).Where(c => !owned.Contains(c)).Order(StringComparer.Ordinal)];
            text.Append('*').Append(table).Append('\n');
            foreach (string chain in owned)
            {
                text.Append(':').Append(chain).Append(" - [0:0]\n");
            }
            AppendRemoval(text, saved, chains, stale);
            foreach (string rule in Rules(table, rules, family, chains))
            {
                text.Append(rule).Append('\n');
            }
            foreach ((string from, string to, string comment) in jumps)
            {
                if (!saved.HasJump(from, to))
                {
                    // First in the built-in chain: traffic must be marked (or filtered) before another rule there can accept or rewrite it.
                    text.Append("-I ").Append(from).Append(" -m comment --comment \"").Append(comment).Append("\" -j ").Append(to).Append('\n');
                }
            }
            text.Append("COMMIT\n");
        }
        return text.ToString();
    }

    /// <summary>The owned chains of <paramref name="table"/> and the jumps into them.</summary>
    public static (IReadOnlyList<string> Chains, IReadOnlyList<(string From, string To, string Comment)> Jumps) Layout(string table, IptablesChains chains) => table switch
    {
        "nat" => (chains.All, chains.Jumps),
        "filter" => (chains.FilterChains, chains.FilterJumps),
        "mangle" => (chains.MangleChains, chains.MangleJumps),
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "expected nat, filter or mangle"),
    };

    /// <summary>
    /// The rules of the owned chains of <paramref name="table"/> for the settings of <paramref name="rules"/>, as
    /// <c>-A CHAIN ...</c> lines in iptables-save's own spelling (which iptables-restore reads back the same):
    /// <code>
    /// nat  IPVSD-SERVICES     -m set --match-set IPVSD-VIRTUAL-IPS-V4 dst,dst -j IPVSD-VIRTUAL-IP
    ///                         -m set --match-set IPVSD-EXTERNAL-IPS-V4 dst,dst -j IPVSD-MARK-MASQ
    ///                         -p tcp -m addrtype --dst-type LOCAL -m set --match-set IPVSD-NODE-PORTS-TCP dst -j IPVSD-MARK-MASQ  (udp, sctp)
    ///      IPVSD-VIRTUAL-IP   ! -s CLUSTER-CIDR -j IPVSD-MARK-MASQ   (or -j IPVSD-MARK-MASQ for MasqueradeAll, or nothing)
    ///      IPVSD-MARK-MASQ    -j MARK --set-xmark 0x4000/0x4000      (iptables' spelling of --or-mark 0x4000)
    ///      IPVSD-POSTROUTING  -m mark --mark 0x4000/0x4000 -j MASQUERADE
    ///                         -m set --match-set IPVSD-HAIRPIN-V4 dst,dst,src -j MASQUERADE
    /// </code>
    /// and the filter and mangle rules of <see cref="IptablesFilterRules"/>.
    /// </summary>
    public static IReadOnlyList<string> Rules(string table, ServiceRuleSet rules, IptablesFamily family, IptablesChains chains)
    {
        var text = new StringBuilder();
        switch (table)
        {
            case "nat":
                AppendNat(text, rules, family, chains);
                break;
            case "filter":
                IptablesFilterRules.AppendFilter(text, family, chains);
                break;
            default:
                IptablesFilterRules.AppendMangle(text, family, chains);
                break;
        }
        return text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static void AppendNat(StringBuilder text, ServiceRuleSet rules, IptablesFamily family, IptablesChains chains)
    {
        IptablesSets sets = chains.Sets;
        text.Append("-A ").Append(chains.Services).Append(" -m set --match-set ").Append(sets.VirtualIps(family.SetFamily))
            .Append(" dst,dst -j ").Append(chains.VirtualIp).Append('\n');
        text.Append("-A ").Append(chains.Services).Append(" -m set --match-set ").Append(sets.ExternalIps(family.SetFamily))
            .Append(" dst,dst -j ").Append(chains.MarkMasquerade).Append('\n');
        foreach (ServiceProtocol protocol in IptablesSets.Protocols)
        {
            text.Append("-A ").Append(chains.Services).Append(" -p ").Append(ProtocolName(protocol)).Append(" -m addrtype --dst-type LOCAL -m set --match-set ")
                .Append(sets.NodePorts(protocol)).Append(" dst -j ").Append(chains.MarkMasquerade).Append('\n');
        }
        if (rules.MasqueradeAll)
        {
            text.Append("-A ").Append(chains.VirtualIp).Append(" -j ").Append(chains.MarkMasquerade).Append('\n');
        }
        else if ((family == IptablesFamily.IPv4 ? rules.ClusterCidrV4 : rules.ClusterCidrV6) is { } cidr)
        {
            text.Append("-A ").Append(chains.VirtualIp).Append(" ! -s ").Append(cidr.ToString()).Append(" -j ").Append(chains.MarkMasquerade).Append('\n');
        }
        string mark = Hex(rules.MasqueradeMark);
        text.Append("-A ").Append(chains.MarkMasquerade).Append(" -j MARK --set-xmark ").Append(mark).Append('/').Append(mark).Append('\n');
        text.Append("-A ").Append(chains.Postrouting).Append(" -m mark --mark ").Append(mark).Append('/').Append(mark).Append(" -j MASQUERADE\n");
        // kube-proxy's KUBE-LOOP-BACK (dst,dst,src): the endpoint talking to itself through its Service.
        text.Append("-A ").Append(chains.Postrouting).Append(" -m set --match-set ").Append(sets.Hairpin(family.SetFamily)).Append(" dst,dst,src -j MASQUERADE\n");
    }

    /// <summary>
    /// Deletes every jump from a built-in chain into an owned chain, empties the owned chains and deletes them, in every
    /// table; null when <paramref name="installed"/> holds nothing of ours.
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
        foreach (string table in Tables)
        {
            IptablesTable saved = installed.Table(table);
            if (saved.HasOwnedObjects(chains))
            {
                text.Append('*').Append(table).Append('\n');
                AppendRemoval(text, saved, chains, [.. saved.OwnedChains(chains).Order(StringComparer.Ordinal)]);
                text.Append("COMMIT\n");
            }
        }
        return text.ToString();
    }

    private static void AppendRemoval(StringBuilder text, IptablesTable installed, IptablesChains chains, List<string> doomed)
    {
        if (doomed.Count == 0)
        {
            return;
        }
        foreach (IptablesSavedRule jump in installed.JumpsIntoOwnedChains(chains).Where(j => doomed.Contains(j.Target!)))
        {
            // -D with the rule's full spec, exactly as saved, deletes that one rule.
            text.Append("-D").Append(jump.Line.AsSpan(2)).Append('\n');
        }
        foreach (string chain in doomed)
        {
            // Emptied first, all of them, since a chain cannot be deleted while another one still jumps to it.
            text.Append(':').Append(chain).Append(" - [0:0]\n");
        }
        foreach (string chain in doomed)
        {
            text.Append("-X ").Append(chain).Append('\n');
        }
    }

    internal static string Host(IPAddress address, IptablesFamily family) =>
        address.ToString() + "/" + family.HostPrefixLength.ToString(CultureInfo.InvariantCulture);

    internal static string ProtocolName(ServiceProtocol protocol) => protocol switch
    {
        ServiceProtocol.Tcp => "tcp",
        ServiceProtocol.Udp => "udp",
        ServiceProtocol.Sctp => "sctp",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "expected TCP, UDP or SCTP"),
    };

    private static string Hex(uint value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
}
