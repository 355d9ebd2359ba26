using static Netlink.Tests.Core.WireHex;

namespace Netlink.Tests.Core;

/// <summary>
/// Golden wire bytes for <see cref="NetlinkWriter"/>: every field written out as hex with its meaning. Host order is
/// little-endian on every platform .NET runs Linux on, which is what these bytes assume.
/// </summary>
public sealed class NetlinkWriterGoldenTests
{
    private static byte[] Write(WriteAction action)
    {
        using var buffer = new NetlinkBuffer(16);
        var writer = new NetlinkWriter(buffer);
        action(ref writer);
        return buffer.WrittenSpan.ToArray();
    }

    private delegate void WriteAction(ref NetlinkWriter writer);

    private static void AssertBytes(byte[] expected, byte[] actual) => Assert.Equal(Format(expected), Format(actual));

    [Fact]
    public void Message_header_generic_header_and_attribute()
    {
        byte[] actual = Write((ref NetlinkWriter w) =>
        {
            NetlinkMessageToken m = w.BeginMessage(0x001a, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, 0x01020304, 0x0a0b0c0d);
            w.WriteGenericHeader(command: 4, version: 1);
            w.WriteUInt32(7, 0xdeadbeef);
            w.EndMessage(m);
        });
        AssertBytes(Parse(
            "1c000000",     // nlmsg_len   = 28 (16 header + 4 genlmsghdr + 8 attribute), back-patched
            "1a00",         // nlmsg_type  = 0x1a (a generic netlink family id)
            "0500",         // nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
            "04030201",     // nlmsg_seq   = 0x01020304
            "0d0c0b0a",     // nlmsg_pid   = 0x0a0b0c0d
            "04",           // genlmsghdr.cmd      = 4
            "01",           // genlmsghdr.version  = 1
            "0000",         // genlmsghdr.reserved = 0
            "0800 0700",    // nla_len = 8, nla_type = 7
            "efbeadde"),    // u32 0xdeadbeef, host order
            actual);
    }

    [Fact]
    public void Every_attribute_width_host_order_and_big_endian()
    {
        byte[] actual = Write((ref NetlinkWriter w) =>
        {
            w.WriteFlag(1);
            w.WriteByte(2, 0xab);
            w.WriteUInt16(3, 0x1234);
            w.WriteUInt32(4, 0x12345678);
            w.WriteUInt64(5, 0x0102030405060708);
            w.WriteUInt16BigEndian(6, 0x1234);
            w.WriteUInt32BigEndian(7, 0x12345678);
            w.WriteUInt64BigEndian(8, 0x0102030405060708);
            w.WriteBytes(9, [0x01, 0x02, 0x03]);
            w.WriteBytes(10, []);
            w.WriteBytes(11, [0xc6, 0x12, 0x00, 0x01]);
        });
        AssertBytes(Parse(
            "0400 0100",                        // flag: nla_len = 4 (header only), type 1
            "0500 0200", "ab", "000000",        // u8: nla_len = 5, type 2, 0xab, 3 bytes padding
            "0600 0300", "3412", "0000",        // u16 host order: nla_len = 6, type 3, 0x1234, 2 bytes padding
            "0800 0400", "78563412",            // u32 host order: nla_len = 8, type 4, 0x12345678
            "0c00 0500", "0807060504030201",    // u64 host order: nla_len = 12, type 5
            "0600 0600", "1234", "0000",        // __be16 (a port): nla_len = 6, type 6, no NLA_F_NET_BYTEORDER
            "0800 0700", "12345678",            // __be32: nla_len = 8, type 7
            "0c00 0800", "0102030405060708",    // __be64: nla_len = 12, type 8
            "0700 0900", "010203", "00",        // 3 raw bytes: nla_len = 7, type 9, 1 byte padding
            "0400 0a00",                        // empty binary: nla_len = 4, type 10
            "0800 0b00", "c6120001"),           // an IPv4 address as raw bytes (198.18.0.1)
            actual);
    }

    [Fact]
    public void Strings_are_NUL_terminated_and_zero_padded_even_over_dirty_pooled_memory()
    {
        using var buffer = new NetlinkBuffer(64);
        var writer = new NetlinkWriter(buffer);
        writer.WriteBytes(1, Enumerable.Repeat((byte)0xff, 60).ToArray()); // dirty the array, then start over
        buffer.Clear();
        writer.WriteString(1, "rr");
        writer.WriteString(2, "wlc");
        writer.WriteString(3, "");
        writer.WriteString(4, "é");
        writer.WriteString(5, "sip\0x"); // an embedded NUL is written as given; the kernel stops at it
        AssertBytes(Parse(
            "0700 0100", "727200", "00",    // "rr": nla_len = 7 (4 + 2 + NUL), 1 byte padding
            "0800 0200", "776c6300",        // "wlc": nla_len = 8, no padding needed
            "0500 0300", "00", "000000",    // "": nla_len = 5 (just the NUL), 3 bytes padding
            "0700 0400", "c3a900", "00",    // "é" in UTF-8 (c3 a9) + NUL, 1 byte padding
            "0a00 0500", "7369700078 00", "0000"), // "sip\0x" + NUL: nla_len = 10, 2 bytes padding
            buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Nested_attributes_set_NLA_F_NESTED_and_back_patch_their_lengths()
    {
        byte[] actual = Write((ref NetlinkWriter w) =>
        {
            NetlinkNestToken outer = w.BeginNested(1);
            w.WriteUInt16(2, 10);
            NetlinkNestToken inner = w.BeginNested(3);
            w.WriteUInt32(4, 1);
            w.WriteString(5, "a");
            w.EndNested(inner);
            w.EndNested(outer);
            NetlinkNestToken empty = w.BeginNested(6);
            w.EndNested(empty);
        });
        AssertBytes(Parse(
            "2000 0180",                    // outer: nla_len = 32, nla_type = 1 | NLA_F_NESTED (0x8000)
            "0600 0200", "0a00", "0000",    //   u16 type 2 = 10, padded
            "1400 0380",                    //   inner: nla_len = 20, nla_type = 3 | NLA_F_NESTED
            "0800 0400", "01000000",        //     u32 type 4 = 1
            "0600 0500", "6100", "0000",    //     string type 5 = "a" + NUL, padded (the nest's length counts the padding)
            "0400 0680"),                   // empty nest: nla_len = 4, nla_type = 6 | NLA_F_NESTED
            actual);
    }

    [Fact]
    public void Fixed_headers_are_padded_to_four_bytes()
    {
        byte[] actual = Write((ref NetlinkWriter w) =>
        {
            NetlinkMessageToken m = w.BeginMessage(0x0a00, NetlinkMessageFlags.Request | NetlinkMessageFlags.Create, 1);
            w.WriteFixedHeader([2, 0, 0x00, 0x0a]); // struct nfgenmsg: family, version, res_id (__be16)
            w.WriteString(1, "lb");
            w.EndMessage(m);
            w.WriteFixedHeader([1, 2, 3]);
            w.WriteFixedHeader([4, 5, 6, 7, 8]);
            w.WriteFixedHeader([]);
        });
        AssertBytes(Parse(
            "1c000000",             // nlmsg_len = 28
            "000a",                 // nlmsg_type = NFNL_SUBSYS_NFTABLES (10) << 8 | NFT_MSG_NEWTABLE (0)
            "0104",                 // nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE
            "01000000",             // nlmsg_seq = 1
            "00000000",             // nlmsg_pid = 0 (the kernel fills it in)
            "02", "00", "000a",     // nfgenmsg: nfgen_family = AF_INET, version = NFNETLINK_V0, res_id = htons(10)
            "0700 0100", "6c6200", "00", // string type 1 = "lb"
            "010203", "00",         // a 3-byte fixed header, 1 byte padding
            "0405060708", "000000"),// a 5-byte fixed header, 3 bytes padding; an empty one writes nothing
            actual);
    }

    [Fact]
    public void Several_messages_follow_each_other_each_with_its_own_length()
    {
        byte[] actual = Write((ref NetlinkWriter w) =>
        {
            NetlinkMessageToken first = w.BeginMessage(0x20, NetlinkMessageFlags.Request, 7, 0);
            w.WriteGenericHeader(1, 1);
            w.WriteByte(1, 6);
            w.EndMessage(first);
            NetlinkMessageToken second = w.BeginMessage(0x20, NetlinkMessageFlags.Request, 8, 0);
            w.WriteGenericHeader(3, 1);
            w.EndMessage(second);
        });
        AssertBytes(Parse(
            "1c000000", "2000", "0100", "07000000", "00000000", // message 1: len 28, type 0x20, NLM_F_REQUEST, seq 7, pid 0
            "01010000",                                         //   genlmsghdr cmd 1, version 1
            "0500 0100", "06", "000000",                        //   u8 type 1 = 6 (IPPROTO_TCP), padded
            "14000000", "2000", "0100", "08000000", "00000000", // message 2: len 20, seq 8
            "03010000"),                                        //   genlmsghdr cmd 3, version 1
            actual);
    }

    [Fact]
    public void Reserve_returns_the_payload_span_with_padding_zeroed()
    {
        byte[] actual = Write((ref NetlinkWriter w) =>
        {
            w.WriteBytes(1, Enumerable.Repeat((byte)0xee, 40).ToArray()); // dirty the pooled array, then start over
            w.WriteHeaderAndReserve(1, 0);
        });
        actual = Write((ref NetlinkWriter w) =>
        {
            Span<byte> payload = w.WriteHeaderAndReserve(7, 8); // struct ip_vs_flags { __u32 flags; __u32 mask; }
            BitConverter.TryWriteBytes(payload, 0x0004u);
            BitConverter.TryWriteBytes(payload[4..], 0xffffffffu);
            Span<byte> two = w.WriteHeaderAndReserve(8, 2); // the payload is the caller's to fill; only padding is zeroed
            two[0] = 0x55;
            two[1] = 0x66;
        });
        AssertBytes(Parse(
            "0c00 0700", "04000000", "ffffffff", // type 7: flags = IP_VS_SVC_F_ONEPACKET, mask = all bits
            "0600 0800", "5566", "0000"),        // type 8: 2 bytes filled in, 2 bytes padding zeroed over dirty pooled memory
            actual);
    }

    [Fact]
    public void Align_rounds_up_to_four()
    {
        Assert.Equal([0, 4, 4, 4, 4, 8, 8], new[] { 0, 1, 2, 3, 4, 5, 8 }.Select(NetlinkWriter.Align));
    }

    [Fact]
    public void Oversized_attributes_and_nests_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Write((ref NetlinkWriter w) => w.WriteHeaderAndReserve(1, 65532)));
        byte[] max = Write((ref NetlinkWriter w) => w.WriteHeaderAndReserve(1, 65531));
        Assert.Equal(65536, max.Length); // nla_len 65535 then one byte of padding
        Assert.Equal(0xff, max[0]);
        Assert.Equal(0xff, max[1]);
        Assert.Throws<InvalidOperationException>(() => Write((ref NetlinkWriter w) =>
        {
            NetlinkNestToken nest = w.BeginNested(1);
            w.WriteBytes(2, new byte[40000]);
            w.WriteBytes(3, new byte[40000]);
            w.EndNested(nest);
        }));
    }
}
