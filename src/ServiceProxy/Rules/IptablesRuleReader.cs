using System.Globalization;
using System.Net;
using Netlink.Netfilter.IpSet;

namespace ServiceProxy.Rules;

/// <summary>
/// Turns the owned chains of the saved IPv4 and IPv6 tables and the listed ipsets back into a
/// <see cref="ServiceRuleSet"/>: the inverse of <see cref="IptablesRestoreInput.ForApply"/> and the set contents. The
/// settings (mark, masquerade-all, cluster CIDRs) come from the rules; the lists from the sets, but only while every
/// rule that matches the sets is in place exactly as written and every jump into the owned chains is there. Rules that
/// were edited, deleted or added by hand make the lists read empty, so a caller comparing with what it wants sees the
/// difference and applies the whole set again.
/// </summary>
internal static class IptablesRuleReader
{
    /// <summary>The installed set, or null when no table holds anything of ours.</summary>
    public static ServiceRuleSet? Read(IptablesSave ipv4, IptablesSave ipv6, IReadOnlyList<IpSetListing> sets, IptablesChains? chains = null)
    {
        chains ??= IptablesChains.Default;
        ArgumentNullException.ThrowIfNull(ipv4);
        ArgumentNullException.ThrowIfNull(ipv6);
        ArgumentNullException.ThrowIfNull(sets);
        if (!ipv4.HasOwnedObjects(chains) && !ipv6.HasOwnedObjects(chains))
        {
            return null;
        }
        var clusterCidrs = new List<IPNetwork>();
        bool masqueradeAll = false;
        uint? mark = null;
        foreach (IptablesSave saved in new[] { ipv4, ipv6 })
        {
            foreach (IptablesSavedRule rule in saved.Nat.RulesOf(chains.VirtualIp).Where(r => r.Target == chains.MarkMasquerade && r.OtherOptions.Count == 0))
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
            foreach (IptablesSavedRule rule in saved.Nat.RulesOf(chains.MarkMasquerade).Where(r => r.Target == "MARK"))
            {
                // --or-mark M is saved as --set-xmark M/M: clear M's bits, then flip them on.
                if (rule.MarkTarget?.Split('/') is [string value, string mask] && value == mask)
                {
                    mark ??= ParseNumber(value);
                }
            }
        }
        var settings = new ServiceRuleSet { MasqueradeMark = mark ?? 0, MasqueradeAll = masqueradeAll, ClusterCidrs = clusterCidrs };
        bool intact = Intact(ipv4, IptablesFamily.IPv4, settings, chains) && Intact(ipv6, IptablesFamily.IPv6, settings, chains);
        return (intact ? chains.Sets.Read(settings, sets) : settings).Normalize();
    }

    /// <summary>Whether the owned chains of every table hold exactly the rules the settings call for, and every jump is there.</summary>
    private static bool Intact(IptablesSave saved, IptablesFamily family, ServiceRuleSet settings, IptablesChains chains)
    {
        foreach (string table in IptablesRestoreInput.Tables)
        {
            IptablesTable installed = saved.Table(table);
            (IReadOnlyList<string> owned, IReadOnlyList<(string From, string To, string Comment)> jumps) = IptablesRestoreInput.Layout(table, chains);
            IReadOnlyList<string> expected = IptablesRestoreInput.Rules(table, settings, family, chains);
            foreach (string chain in owned)
            {
                // Per chain, since iptables-save orders the chains its own way; within one, order is what the rules mean.
                IEnumerable<string> actual = installed.RulesOf(chain).Select(r => r.Line);
                if (!expected.Where(l => l.StartsWith("-A " + chain + " ", StringComparison.Ordinal)).SequenceEqual(actual, StringComparer.Ordinal))
                {
                    return false;
                }
            }
            if (!jumps.All(j => installed.HasJump(j.From, j.To)))
            {
                return false;
            }
        }
        return true;
    }

    // Null for what is no number: iptables-save output that is not ours reads as "not ours", never as an exception
    // (found by fuzzing, as IPNetwork.Parse on a source that is no network was).
    private static uint? ParseNumber(string text) => (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
        ? uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint hex)
            ? hex : (uint?)null
        : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint number) ? number : null);
}
