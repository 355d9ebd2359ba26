using System.Buffers.Binary;
using System.Net;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Expressions;

namespace ServiceProxy.Rules;

/// <summary>The inverse of <see cref="NfTablesServiceRuleset.Build"/>: the table's content back into a <see cref="ServiceRuleSet"/>.</summary>
internal static class NfTablesServiceRulesetReader
{
    public static ServiceRuleSet Read(Ruleset table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var virtualIps = new List<VirtualIp>();
        var nodePorts = new List<NodePort>();
        foreach (NftSet set in table.Sets)
        {
            IReadOnlyList<SetElement> elements = table.Elements.TryGetValue(set, out IReadOnlyList<SetElement>? found) ? found : [];
            foreach (SetElement element in elements)
            {
                ReadOnlySpan<byte> key = element.Key.Span;
                switch (set.Name)
                {
                    // Keys are concatenations with each field padded to 4 bytes: address, protocol (1 byte), port (2 bytes, network order).
                    case NfTablesServiceRuleset.VirtualIpsV4 when key.Length == 12:
                        virtualIps.Add(new VirtualIp(new IPAddress(key[..4]), (ServiceProtocol)key[4], BinaryPrimitives.ReadUInt16BigEndian(key[8..])));
                        break;
                    case NfTablesServiceRuleset.VirtualIpsV6 when key.Length == 24:
                        virtualIps.Add(new VirtualIp(new IPAddress(key[..16]), (ServiceProtocol)key[16], BinaryPrimitives.ReadUInt16BigEndian(key[20..])));
                        break;
                    case NfTablesServiceRuleset.NodePorts when key.Length == 8:
                        nodePorts.Add(new NodePort((ServiceProtocol)key[0], BinaryPrimitives.ReadUInt16BigEndian(key[4..])));
                        break;
                }
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
            VirtualIps = virtualIps,
            NodePorts = nodePorts,
            MasqueradeAll = masqueradeAll,
            ClusterCidrs = clusterCidrs,
        }.Normalize();
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
