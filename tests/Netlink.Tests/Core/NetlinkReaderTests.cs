using Netlink.Testing;
using static Netlink.Testing.KernelReplies;
using static Netlink.Tests.Core.WireHex;

namespace Netlink.Tests.Core;

/// <summary>Walking messages and attributes, and every length error.</summary>
public sealed class NetlinkReaderTests
{
    private static int CountMessages(byte[] datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        int count = 0;
        while (reader.TryRead(out _))
        {
            count++;
        }
        return count;
    }

    private static List<(ushort Type, byte[] Payload)> Attributes(byte[] bytes)
    {
        var list = new List<(ushort, byte[])>();
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(bytes))
        {
            list.Add((a.Type, a.Payload.ToArray()));
        }
        return list;
    }

    [Fact]
    public void Messages_are_walked_with_every_header_field()
    {
        byte[] datagram = Datagram(
            Message(0x1d, NetlinkMessageFlags.Multi, 5, 77, [1, 2, 3, 4]),
            Message(0x1d, NetlinkMessageFlags.Multi | NetlinkMessageFlags.DumpInterrupted, 5, 77, [9]),
            Message(NetlinkMessageType.Done, NetlinkMessageFlags.Multi, 5, 77, [0, 0, 0, 0]));
        var reader = new NetlinkMessageReader(datagram);
        Assert.True(reader.TryRead(out NetlinkMessage m));
        Assert.Equal(0x1d, m.Type);
        Assert.Equal(NetlinkMessageFlags.Multi, m.Flags);
        Assert.Equal(5u, m.Sequence);
        Assert.Equal(77u, m.PortId);
        Assert.Equal([1, 2, 3, 4], m.Payload.ToArray());
        Assert.True(reader.TryRead(out m));
        Assert.Equal([9], m.Payload.ToArray()); // nlmsg_len 17: payload excludes the 3 padding bytes
        Assert.True((m.Flags & NetlinkMessageFlags.DumpInterrupted) != 0);
        Assert.True(reader.TryRead(out m));
        Assert.Equal(NetlinkMessageType.Done, m.Type);
        Assert.False(reader.TryRead(out _));
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void The_last_message_and_attribute_may_end_without_padding()
    {
        byte[] padded = Datagram(Message(0x10, 0, 1, 0, [1]), Message(0x10, 0, 2, 0, [7, 7, 7, 7, 5]));
        byte[] unpadded = padded[..^3]; // the second message's nlmsg_len is 21: the datagram ends right there
        Assert.Equal(2, CountMessages(unpadded));
        var reader = new NetlinkMessageReader(unpadded);
        reader.TryRead(out _);
        reader.TryRead(out NetlinkMessage last);
        Assert.Equal([7, 7, 7, 7, 5], last.Payload.ToArray());

        byte[] attributes = [.. AttrU32(1, 42), .. AttrU8(2, 9)[..5]]; // last attribute: nla_len 5, no padding
        List<(ushort Type, byte[] Payload)> read = Attributes(attributes);
        Assert.Equal(2, read.Count);
        Assert.Equal((ushort)1, read[0].Type);
        Assert.Equal(BitConverter.GetBytes(42u), read[0].Payload);
        Assert.Equal((ushort)2, read[1].Type);
        Assert.Equal([9], read[1].Payload);
    }

    [Fact]
    public void Empty_input_has_no_messages_and_no_attributes()
    {
        Assert.Equal(0, CountMessages([]));
        Assert.Empty(Attributes([]));
    }

    [Theory]
    [InlineData("00")]                                          // 1 trailing byte
    [InlineData("1000000001000000000000000000000000")]          // a message, then a 1-byte tail
    [InlineData("100000000100000000000000000000")]              // 15 bytes: shorter than a header
    [InlineData("00000000010000000000000000000000")]            // nlmsg_len 0 (would never advance)
    [InlineData("0f000000010000000000000000000000")]            // nlmsg_len 15 < header
    [InlineData("11000000010000000000000000000000")]            // nlmsg_len 17 > 16 bytes present
    [InlineData("ffffffff010000000000000000000000")]            // nlmsg_len 4 GiB
    [InlineData("00000080010000000000000000000000")]            // nlmsg_len 2^31 (negative as int)
    public void Message_length_errors_are_protocol_errors(string hex)
    {
        byte[] bytes = Parse(hex);
        Assert.Throws<NetlinkProtocolException>(() => CountMessages(bytes));
    }

    [Theory]
    [InlineData("01")]                          // 1 trailing byte
    [InlineData("0800010001000000" + "0400")]   // an attribute, then 2 trailing bytes
    [InlineData("000001")]                      // 3 bytes: shorter than a header
    [InlineData("00000100")]                    // nla_len 0 (would never advance)
    [InlineData("03000100")]                    // nla_len 3 < header
    [InlineData("05000100")]                    // nla_len 5 with only the header present
    [InlineData("ffff0100aabbccdd")]            // nla_len 65535 > 8 bytes present
    public void Attribute_length_errors_are_protocol_errors(string hex)
    {
        byte[] bytes = Parse(hex);
        Assert.Throws<NetlinkProtocolException>(() => Attributes(bytes));
    }

    [Fact]
    public void Type_strips_NLA_F_NESTED_and_NLA_F_NET_BYTEORDER()
    {
        var nested = new NetlinkAttribute(0x8003, []);
        Assert.Equal(3, nested.Type);
        Assert.True(nested.IsNestedFlagSet);
        var bigEndian = new NetlinkAttribute(0x4005, []);
        Assert.Equal(5, bigEndian.Type);
        Assert.False(bigEndian.IsNestedFlagSet);
        Assert.Equal(0x3fff, new NetlinkAttribute(0xffff, []).Type);
    }

    [Fact]
    public void Typed_getters_read_what_the_writer_wrote()
    {
        using var buffer = new NetlinkBuffer();
        var w = new NetlinkWriter(buffer);
        w.WriteByte(1, 0xfe);
        w.WriteUInt16(2, 0xbeef);
        w.WriteUInt32(3, 0xdeadbeef);
        w.WriteUInt64(4, ulong.MaxValue - 1);
        w.WriteUInt16BigEndian(5, 8080);
        w.WriteUInt32BigEndian(6, 0xc6120001);
        w.WriteUInt64BigEndian(7, 0x0102030405060708);
        w.WriteString(8, "mh");
        w.WriteUInt32(9, unchecked((uint)-5));
        var r = new NetlinkAttributeReader(buffer.WrittenSpan);
        NetlinkAttribute a;
        Assert.True(r.TryRead(out a)); Assert.Equal(0xfe, a.GetByte());
        Assert.True(r.TryRead(out a)); Assert.Equal(0xbeef, a.GetUInt16());
        Assert.True(r.TryRead(out a)); Assert.Equal(0xdeadbeef, a.GetUInt32());
        Assert.True(r.TryRead(out a)); Assert.Equal(ulong.MaxValue - 1, a.GetUInt64());
        Assert.True(r.TryRead(out a)); Assert.Equal(8080, a.GetUInt16BigEndian());
        Assert.True(r.TryRead(out a)); Assert.Equal(0xc6120001, a.GetUInt32BigEndian());
        Assert.True(r.TryRead(out a)); Assert.Equal(0x0102030405060708ul, a.GetUInt64BigEndian());
        Assert.True(r.TryRead(out a)); Assert.Equal("mh", a.GetString()); Assert.Equal("mh"u8.ToArray(), a.GetStringBytes().ToArray());
        Assert.True(r.TryRead(out a)); Assert.Equal(-5, a.GetInt32());
        Assert.False(r.TryRead(out _));
    }

    [Fact]
    public void Strings_stop_at_the_first_NUL_or_take_the_whole_payload()
    {
        Assert.Equal("wrr", new NetlinkAttribute(1, "wrr\0\0"u8).GetString());
        Assert.Equal("ab", new NetlinkAttribute(1, "ab\0cd"u8).GetString());
        Assert.Equal("lblcr", new NetlinkAttribute(1, "lblcr"u8).GetString()); // not NUL-terminated
        Assert.Equal("", new NetlinkAttribute(1, []).GetString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(16)]
    public void Getters_refuse_a_payload_of_the_wrong_length(int length)
    {
        byte[] payload = new byte[length];
        var getters = new (int Size, Action<byte[]> Get)[]
        {
            (1, p => new NetlinkAttribute(1, p).GetByte()),
            (2, p => new NetlinkAttribute(1, p).GetUInt16()),
            (2, p => new NetlinkAttribute(1, p).GetUInt16BigEndian()),
            (4, p => new NetlinkAttribute(1, p).GetUInt32()),
            (4, p => new NetlinkAttribute(1, p).GetInt32()),
            (4, p => new NetlinkAttribute(1, p).GetUInt32BigEndian()),
            (8, p => new NetlinkAttribute(1, p).GetUInt64()),
            (8, p => new NetlinkAttribute(1, p).GetUInt64BigEndian()),
        };
        foreach ((int size, Action<byte[]> get) in getters)
        {
            if (size != length)
            {
                NetlinkProtocolException e = Assert.Throws<NetlinkProtocolException>(() => get(payload));
                Assert.Equal(Errno.EPROTO, e.ErrorNumber);
            }
        }
        Assert.Throws<NetlinkProtocolException>(() => new NetlinkAttribute(1, payload).Expect(length + 1));
        Assert.Throws<NetlinkProtocolException>(() => new NetlinkAttribute(1, payload).ExpectAtLeast(length + 1));
        Assert.Equal(length, new NetlinkAttribute(1, payload).ExpectAtLeast(length).Length);
    }

    [Fact]
    public void Callers_skip_unknown_attributes_including_nests_they_do_not_understand()
    {
        // What a newer kernel might send: known attributes interleaved with ones this version never heard of,
        // one of them a nest whose contents are not even valid attributes.
        byte[] bytes = [
            .. AttrU16(999, 1),
            .. AttrString(1, "IPVS"),
            .. Attr(0x8000 | 500, [0xff, 0xff, 0xff]),
            .. AttrU32(2, 7),
            .. Attr(0x3fff, []),
        ];
        string? name = null;
        uint value = 0;
        int unknown = 0;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(bytes))
        {
            switch (a.Type)
            {
                case 1: name = a.GetString(); break;
                case 2: value = a.GetUInt32(); break;
                default: unknown++; break;
            }
        }
        Assert.Equal("IPVS", name);
        Assert.Equal(7u, value);
        Assert.Equal(3, unknown);
    }

    [Fact]
    public void Nested_attributes_are_read_with_or_without_NLA_F_NESTED()
    {
        byte[] bytes = [.. Nested(7, true, AttrU32(1, 10), Nested(2, false, AttrU8(1, 3))), .. Nested(8, false)];
        var outer = new NetlinkAttributeReader(bytes);
        Assert.True(outer.TryRead(out NetlinkAttribute a));
        Assert.Equal(7, a.Type);
        Assert.True(a.IsNestedFlagSet);
        NetlinkAttributeReader inner = a.GetNested();
        Assert.True(inner.TryRead(out NetlinkAttribute b));
        Assert.Equal(10u, b.GetUInt32());
        Assert.True(inner.TryRead(out b));
        Assert.False(b.IsNestedFlagSet);
        NetlinkAttributeReader innermost = b.GetNested();
        Assert.True(innermost.TryRead(out NetlinkAttribute c));
        Assert.Equal(3, c.GetByte());
        Assert.False(innermost.TryRead(out _));
        Assert.False(inner.TryRead(out _));
        Assert.True(outer.TryRead(out a));
        Assert.False(a.GetNested().MoveNext());
        Assert.False(outer.TryRead(out _));
    }

    [Fact]
    public void Fixed_headers_before_attributes_are_checked()
    {
        byte[] generic = Datagram(Message(0x20, 0, 1, 0, GenericPayload(5, 1, AttrU32(1, 2))));
        var reader = new NetlinkMessageReader(generic);
        reader.TryRead(out NetlinkMessage m);
        Assert.Equal(5, m.GenericCommand);
        NetlinkAttributeReader attributes = m.GenericAttributes;
        Assert.True(attributes.TryRead(out NetlinkAttribute a));
        Assert.Equal(2u, a.GetUInt32());

        Assert.Throws<NetlinkProtocolException>(() => new NetlinkMessage(0x20, 0, 1, 0, [1, 1, 0]).GenericCommand);
        Assert.Throws<NetlinkProtocolException>(() => { _ = new NetlinkMessage(0x20, 0, 1, 0, [1, 1, 0]).GenericAttributes; });
        Assert.Throws<NetlinkProtocolException>(() => { _ = new NetlinkMessage(0x20, 0, 1, 0, [1, 2, 3, 4]).Attributes(5); });
        // A 5-byte fixed header pads to 8; a payload of 6 holds the header and no attributes.
        Assert.False(new NetlinkMessage(0x20, 0, 1, 0, [1, 2, 3, 4, 5, 0]).Attributes(5).MoveNext());
        Assert.False(new NetlinkMessage(0x20, 0, 1, 0, [1, 2, 3, 4]).GenericAttributes.MoveNext());
    }
}
