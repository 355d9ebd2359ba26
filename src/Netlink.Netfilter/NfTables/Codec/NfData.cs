using System.Buffers.Binary;
using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Codec;

/// <summary>Reads and writes struct nft_data attributes (NFTA_DATA_VALUE, NFTA_DATA_VERDICT) and the be32 numbers nf_tables uses everywhere.</summary>
internal static class NfData
{
    /// <summary>Writes <paramref name="type"/> as a nest holding NFTA_DATA_VALUE.</summary>
    public static void WriteValue(NetlinkWriter writer, ushort type, ReadOnlySpan<byte> value)
    {
        NetlinkNestToken nest = writer.BeginNested(type);
        writer.WriteBytes(NFTA_DATA_VALUE, value);
        writer.EndNested(nest);
    }

    /// <summary>Writes <paramref name="type"/> as a nest holding NFTA_DATA_VERDICT.</summary>
    public static void WriteVerdict(NetlinkWriter writer, ushort type, Verdict verdict)
    {
        NetlinkNestToken nest = writer.BeginNested(type);
        NetlinkNestToken inner = writer.BeginNested(NFTA_DATA_VERDICT);
        writer.WriteUInt32BigEndian(NFTA_VERDICT_CODE, (uint)(int)verdict.Code);
        if (verdict.Chain is not null)
        {
            writer.WriteString(NFTA_VERDICT_CHAIN, verdict.Chain);
        }
        writer.EndNested(inner);
        writer.EndNested(nest);
    }

    /// <summary>Reads a nest holding either a value or a verdict.</summary>
    public static void Read(NetlinkAttribute attribute, out byte[]? value, out Verdict? verdict)
    {
        value = null;
        verdict = null;
        foreach (NetlinkAttribute inner in attribute.GetNested())
        {
            switch (inner.Type)
            {
                case NFTA_DATA_VALUE:
                    value = inner.Payload.ToArray();
                    break;
                case NFTA_DATA_VERDICT:
                    verdict = ReadVerdict(inner);
                    break;
                default:
                    break;
            }
        }
        if (value is null && verdict is null)
        {
            throw new NetlinkProtocolException($"data attribute {attribute.Type} holds neither a value nor a verdict");
        }
    }

    /// <summary>Reads a nest that must hold a value.</summary>
    public static byte[] ReadValue(NetlinkAttribute attribute)
    {
        Read(attribute, out byte[]? value, out _);
        return value ?? throw new NetlinkProtocolException($"data attribute {attribute.Type} holds a verdict where a value belongs");
    }

    private static Verdict ReadVerdict(NetlinkAttribute attribute)
    {
        int? code = null;
        string? chain = null;
        foreach (NetlinkAttribute inner in attribute.GetNested())
        {
            switch (inner.Type)
            {
                case NFTA_VERDICT_CODE:
                    code = (int)inner.GetUInt32BigEndian();
                    break;
                case NFTA_VERDICT_CHAIN:
                    chain = inner.GetString();
                    break;
                default:
                    break;
            }
        }
        if (code is null)
        {
            throw new NetlinkProtocolException("verdict without NFTA_VERDICT_CODE");
        }
        return (VerdictCode)code.Value switch
        {
            VerdictCode.Accept => chain is null ? Verdict.Accept : new Verdict(VerdictCode.Accept, chain),
            VerdictCode.Drop => chain is null ? Verdict.Drop : new Verdict(VerdictCode.Drop, chain),
            _ => new Verdict((VerdictCode)code.Value, chain),
        };
    }

    /// <summary>Reads a __be32 from a fixed-size span.</summary>
    public static uint BigEndian32(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt32BigEndian(bytes);
}
