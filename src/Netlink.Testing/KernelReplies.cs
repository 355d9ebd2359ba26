using System.Buffers.Binary;
using System.Text;

namespace Netlink.Testing;

/// <summary>
/// Builds what the kernel sends: messages, acks, errors with extended-ack TLVs, multipart dump entries and
/// NLMSG_DONE, attributes. Little-endian (host order on every machine this library runs on), laid out as
/// net/netlink/af_netlink.c lays them out. Each message is padded to 4 bytes so they can be concatenated.
/// </summary>
public static class KernelReplies
{
    /// <summary>NLMSGERR_ATTR_MSG.</summary>
    public const ushort NlmsgerrAttrMsg = 1;

    /// <summary>NLMSGERR_ATTR_OFFS.</summary>
    public const ushort NlmsgerrAttrOffs = 2;

    /// <summary>One message: struct nlmsghdr (nlmsg_len = 16 + payload) then the payload, padded to 4 bytes.</summary>
    public static byte[] Message(ushort type, NetlinkMessageFlags flags, uint sequence, uint portId, ReadOnlySpan<byte> payload)
    {
        int length = 16 + payload.Length;
        byte[] bytes = new byte[Align(length)];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), (ushort)flags);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), portId);
        payload.CopyTo(bytes.AsSpan(16));
        return bytes;
    }

    /// <summary>A reply to <paramref name="request"/> (same sequence and port id).</summary>
    public static byte[] Reply(SentMessage request, ushort type, ReadOnlySpan<byte> payload, NetlinkMessageFlags flags = NetlinkMessageFlags.None)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Message(type, flags, request.Sequence, request.PortId, payload);
    }

    /// <summary>One entry of a multipart dump answering <paramref name="request"/> (NLM_F_MULTI plus <paramref name="extra"/>).</summary>
    public static byte[] DumpEntry(SentMessage request, ushort type, ReadOnlySpan<byte> payload, NetlinkMessageFlags extra = NetlinkMessageFlags.None) =>
        Reply(request, type, payload, NetlinkMessageFlags.Multi | extra);

    /// <summary>An acknowledgement (NLMSG_ERROR with error 0), capped as with NETLINK_CAP_ACK unless <paramref name="capped"/> is false.</summary>
    public static byte[] Ack(SentMessage request, bool capped = true) => Error(request, 0, capped: capped);

    /// <summary>
    /// NLMSG_ERROR for <paramref name="request"/>: struct nlmsgerr (-<paramref name="errno"/>, the request's header and,
    /// unless capped, its payload), then NLMSGERR_ATTR_MSG / NLMSGERR_ATTR_OFFS when given (with NLM_F_ACK_TLVS).
    /// </summary>
    public static byte[] Error(SentMessage request, int errno, string? extAckMessage = null, uint? extAckOffset = null, bool capped = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        var payload = new List<byte>();
        payload.AddRange(S32(-errno));
        payload.AddRange(capped ? request.Raw.AsSpan(0, 16).ToArray() : request.Raw);
        while (payload.Count % 4 != 0)
        {
            payload.Add(0);
        }
        NetlinkMessageFlags flags = capped ? NetlinkMessageFlags.Capped : NetlinkMessageFlags.None;
        byte[] tlvs = ExtAck(extAckMessage, extAckOffset);
        if (tlvs.Length > 0)
        {
            flags |= NetlinkMessageFlags.AckTlvs;
            payload.AddRange(tlvs);
        }
        return Message(NetlinkMessageType.Error, flags, request.Sequence, request.PortId, [.. payload]);
    }

    /// <summary>
    /// NLMSG_DONE ending a dump: NLM_F_MULTI, the int dump_done_errno (0 or minus an errno) and, when given, the
    /// extended-ack message right after it with NLM_F_ACK_TLVS (netlink_dump_done).
    /// </summary>
    public static byte[] Done(SentMessage request, int errno = 0, string? extAckMessage = null, NetlinkMessageFlags extra = NetlinkMessageFlags.None)
    {
        byte[] tlvs = ExtAck(extAckMessage, null);
        NetlinkMessageFlags flags = NetlinkMessageFlags.Multi | extra | (tlvs.Length > 0 ? NetlinkMessageFlags.AckTlvs : NetlinkMessageFlags.None);
        return Reply(request, NetlinkMessageType.Done, [.. S32(-errno), .. tlvs], flags);
    }

    /// <summary>Concatenates messages into one datagram.</summary>
    public static byte[] Datagram(params byte[][] messages) => [.. messages.SelectMany(m => m)];

    /// <summary>An attribute: struct nlattr then the payload, padded to 4 bytes.</summary>
    public static byte[] Attr(ushort type, ReadOnlySpan<byte> payload)
    {
        int length = 4 + payload.Length;
        byte[] bytes = new byte[Align(length)];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), type);
        payload.CopyTo(bytes.AsSpan(4));
        return bytes;
    }

    /// <summary>A u8 attribute.</summary>
    public static byte[] AttrU8(ushort type, byte value) => Attr(type, [value]);

    /// <summary>A u16 attribute.</summary>
    public static byte[] AttrU16(ushort type, ushort value) => Attr(type, BitConverter.GetBytes(value));

    /// <summary>A u32 attribute.</summary>
    public static byte[] AttrU32(ushort type, uint value) => Attr(type, BitConverter.GetBytes(value));

    /// <summary>A u64 attribute.</summary>
    public static byte[] AttrU64(ushort type, ulong value) => Attr(type, BitConverter.GetBytes(value));

    /// <summary>A NUL-terminated string attribute.</summary>
    public static byte[] AttrString(ushort type, string value) => Attr(type, [.. Encoding.UTF8.GetBytes(value), 0]);

    /// <summary>A nested attribute holding <paramref name="children"/>; NLA_F_NESTED only when asked (many kernel families omit it).</summary>
    public static byte[] Nested(ushort type, bool setNestedFlag, params byte[][] children) =>
        Attr(setNestedFlag ? (ushort)(type | 0x8000) : type, children.SelectMany(c => c).ToArray());

    /// <summary>A generic netlink payload: struct genlmsghdr then attributes.</summary>
    public static byte[] GenericPayload(byte command, byte version, params byte[][] attributes) => [command, version, 0, 0, .. attributes.SelectMany(a => a)];

    /// <summary>A little-endian s32.</summary>
    public static byte[] S32(int value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] ExtAck(string? message, uint? offset)
    {
        var tlvs = new List<byte>();
        if (message is not null)
        {
            tlvs.AddRange(AttrString(NlmsgerrAttrMsg, message));
        }
        if (offset is uint o)
        {
            tlvs.AddRange(AttrU32(NlmsgerrAttrOffs, o));
        }
        return [.. tlvs];
    }

    private static int Align(int length) => (length + 3) & ~3;
}
