using System.Buffers.Binary;
using System.Net;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Expressions;

namespace ServiceProxy.Rules;

/// <summary>
/// The inverse of <see cref="NfTablesServiceRuleset.Build"/>: the table's content back into a <see cref="ServiceRuleSet"/>.
/// The sets say what is in the rule set; the rules only the mark and which virtual IP traffic is marked. Elements of a
/// shape Build does not write are skipped.
/// </summary>
internal static class NfTablesServiceRulesetReader
{
    public static ServiceRuleSet Read(Ruleset table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var sets = new SetContents(table);
        var targets = sets.VirtualIps(NfTablesServiceRuleset.FirewallTargets);
        var allowed = new List<(VirtualIp Target, IPNetwork Range)>();
        foreach ((SetElement element, int addressLength) in sets.Elements(NfTablesServiceRuleset.FirewallAllowed))
        {
            ReadOnlySpan<byte> key = element.Key.Span;
            if (element.KeyEnd is { } end && end.Length == key.Length && key.Length == 2 * addressLength + 8
                && NetworkKeys.TryReadVirtualIp(key, addressLength, out VirtualIp target)
                && NetworkKeys.Range(key[(addressLength + 8)..], end.Span[(addressLength + 8)..]) is { } range)
            {
                allowed.Add((target, range));
            }
        }
        var hairpin = new List<VirtualIp>();
        foreach ((SetElement element, int addressLength) in sets.Elements(NfTablesServiceRuleset.Hairpin))
        {
            ReadOnlySpan<byte> key = element.Key.Span;
            if (key.Length == 2 * addressLength + 8 && NetworkKeys.TryReadVirtualIp(key, addressLength, out VirtualIp endpoint)
                && key[..addressLength].SequenceEqual(key[(addressLength + 8)..]))
            {
                hairpin.Add(endpoint);
            }
        }
        var nodePorts = new List<NodePort>();
        foreach (SetElement element in sets.Named(NfTablesServiceRuleset.NodePorts))
        {
            // Keys are concatenations with each field padded to 4 bytes: protocol (1 byte), port (2 bytes, network order).
            if (element.Key.Length == 8)
            {
                nodePorts.Add(new NodePort((ServiceProtocol)element.Key.Span[0], BinaryPrimitives.ReadUInt16BigEndian(element.Key.Span[4..])));
            }
        }
        uint mark = 0;
        bool masqueradeAll = false;
        var clusterCidrs = new List<IPNetwork>();
        foreach (Rule rule in table.Rules)
        {
            if (rule.Chain == NfTablesServiceRuleset.MarkMasquerade && rule.Expressions.OfType<BitwiseExpression>().FirstOrDefault() is { Xor.Length: 4 } orMark)
            {
                mark = BinaryPrimitives.ReadUInt32LittleEndian(orMark.Xor.Span);
            }
            else if (rule.Chain == NfTablesServiceRuleset.VirtualIp && JumpsToMarkMasquerade(rule))
            {
                if (rule.Expressions.Count == 1)
                {
                    masqueradeAll = true;
                }
                else if (SourceOutside(rule) is { } cidr)
                {
                    clusterCidrs.Add(cidr);
                }
            }
        }
        return new ServiceRuleSet
        {
            MasqueradeMark = mark,
            VirtualIps = sets.VirtualIps(NfTablesServiceRuleset.VirtualIps),
            ExternalVirtualIps = sets.VirtualIps(NfTablesServiceRuleset.ExternalIps),
            UnmarkedVirtualIps = sets.VirtualIps(NfTablesServiceRuleset.UnmarkedIps),
            NodePorts = nodePorts,
            MasqueradeAll = masqueradeAll,
            ClusterCidrs = clusterCidrs,
            RejectUnknownPortsOn = [.. sets.Elements(NfTablesServiceRuleset.RejectUnknownPorts).Where(e => e.Element.Key.Length == e.AddressLength)
                .Select(e => new IPAddress(e.Element.Key.Span))],
            SourceRanges = [.. targets.Select(t => new SourceRange(t, [.. allowed.Where(a => a.Target.Equals(t)).Select(a => a.Range)]))],
            HairpinEndpoints = hairpin,
        }.Normalize();
    }

    /// <summary>The elements of the table's sets by name, the -v4 and -v6 twins together.</summary>
    private sealed class SetContents(Ruleset table)
    {
        public IReadOnlyList<SetElement> Named(string name) =>
            table.Sets.FirstOrDefault(s => s.Name == name) is { } set && table.Elements.TryGetValue(set, out IReadOnlyList<SetElement>? found) ? found : [];

        /// <summary>The elements of name-v4 and name-v6, each with its set's address length.</summary>
        public IEnumerable<(SetElement Element, int AddressLength)> Elements(string name) =>
            Named(NfTablesServiceRuleset.Named(name, v6: false)).Select(e => (e, 4))
                .Concat(Named(NfTablesServiceRuleset.Named(name, v6: true)).Select(e => (e, 16)));

        /// <summary>The <c>address . protocol . port</c> elements of name-v4 and name-v6.</summary>
        public List<VirtualIp> VirtualIps(string name)
        {
            var vips = new List<VirtualIp>();
            foreach ((SetElement element, int addressLength) in Elements(name))
            {
                if (element.Key.Length == addressLength + 8 && NetworkKeys.TryReadVirtualIp(element.Key.Span, addressLength, out VirtualIp vip))
                {
                    vips.Add(vip);
                }
            }
            return vips;
        }
    }

    private static bool JumpsToMarkMasquerade(Rule rule) =>
        rule.Expressions.Count > 0 && rule.Expressions[^1] is ImmediateExpression { Verdict: { Code: VerdictCode.Jump, Chain: NfTablesServiceRuleset.MarkMasquerade } };

    /// <summary>The CIDR of <c>ip saddr != CIDR</c> / <c>ip6 saddr != CIDR</c> in either of nft's encodings; null for another shape.</summary>
    private static IPNetwork? SourceOutside(Rule rule)
    {
        PayloadExpression? source = rule.Expressions.OfType<PayloadExpression>().FirstOrDefault(p => p.Base == PayloadBase.Network);
        CmpExpression? compare = rule.Expressions.OfType<CmpExpression>().LastOrDefault(c => c.Op == CmpOp.NotEqual);
        if (source is null || compare is null)
        {
            return null;
        }
        int addressLength = source.Offset switch
        {
            12 => 4,
            8 => 16,
            _ => 0,
        };
        if (addressLength == 0 || source.Length > addressLength || compare.Data.Length != source.Length)
        {
            return null;
        }
        byte[] address = new byte[addressLength];
        compare.Data.Span.CopyTo(address);
        int prefix = (int)source.Length * 8;
        if (rule.Expressions.OfType<BitwiseExpression>().FirstOrDefault() is { } mask)
        {
            prefix = 0;
            foreach (byte b in mask.Mask.Span)
            {
                prefix += System.Numerics.BitOperations.PopCount(b);
            }
        }
        return new IPNetwork(new IPAddress(address), prefix);
    }
}
