using System.Text;

namespace Netlink.Netfilter.NfTables.Codec;

/// <summary>
/// The userdata TLVs <c>nft</c> (libnftnl) keeps in NFTA_*_USERDATA: one byte of type, one byte of length, the value.
/// A rule's comment is type 0 (NFTNL_UDATA_RULE_COMMENT), a NUL-terminated string.
/// </summary>
internal static class UserData
{
    /// <summary>NFTNL_UDATA_RULE_COMMENT.</summary>
    public const byte RuleComment = 0;

    /// <summary>NFTNL_UDATA_SET_KEYBYTEORDER: a u32 in host order.</summary>
    public const byte SetKeyByteOrder = 0;

    /// <summary>NFTNL_UDATA_SET_DATABYTEORDER.</summary>
    public const byte SetDataByteOrder = 1;

    /// <summary>
    /// The userdata <c>nft</c> gives a set declared with <c>type</c>: the byte order of keys (and of a map's values),
    /// which it needs to print host-order integers such as marks and numgen results correctly.
    /// </summary>
    public static void WriteSetByteOrders(NetlinkWriter writer, ushort attribute, uint keyOrder, uint? dataOrder)
    {
        Span<byte> payload = writer.WriteHeaderAndReserve(attribute, dataOrder is null ? 6 : 12);
        payload[0] = SetKeyByteOrder;
        payload[1] = 4;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(payload[2..], keyOrder);
        if (dataOrder is { } data)
        {
            payload[6] = SetDataByteOrder;
            payload[7] = 4;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(payload[8..], data);
        }
    }

    /// <summary>The longest comment nft accepts (NFTNL_UDATA_COMMENT_MAXLEN).</summary>
    public const int MaxCommentLength = 128;

    public static void WriteComment(NetlinkWriter writer, ushort attribute, byte tlvType, string comment)
    {
        int length = Encoding.UTF8.GetByteCount(comment) + 1;
        if (length > MaxCommentLength)
        {
            throw new ArgumentException($"comment of {length - 1} bytes exceeds nft's {MaxCommentLength - 1}", nameof(comment));
        }
        Span<byte> payload = writer.WriteHeaderAndReserve(attribute, 2 + length);
        payload[0] = tlvType;
        payload[1] = (byte)length;
        Encoding.UTF8.GetBytes(comment, payload[2..]);
        payload[^1] = 0;
    }

    /// <summary>The comment TLV of <paramref name="userData"/>, or null. Never throws: a malformed TLV just has no comment.</summary>
    public static string? ReadComment(ReadOnlySpan<byte> userData, byte tlvType, out bool onlyComment)
    {
        string? comment = null;
        int tlvs = 0;
        while (userData.Length >= 2)
        {
            byte type = userData[0];
            int length = userData[1];
            if (length > userData.Length - 2)
            {
                onlyComment = false;
                return null;
            }
            ReadOnlySpan<byte> value = userData.Slice(2, length);
            if (type == tlvType && length > 0)
            {
                int nul = value.IndexOf((byte)0);
                comment = Encoding.UTF8.GetString(nul >= 0 ? value[..nul] : value);
            }
            tlvs++;
            userData = userData[(2 + length)..];
        }
        onlyComment = comment is not null && tlvs == 1 && userData.IsEmpty;
        return comment;
    }
}
