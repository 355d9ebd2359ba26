using Netlink.Generic;
using Netlink.Testing;
using static Netlink.Testing.KernelReplies;
using static Netlink.Tests.Core.WireHex;

namespace Netlink.Tests.Core;

/// <summary>Family resolution through the generic netlink controller, with replies laid out as ctrl_fill_info writes them.</summary>
public sealed class GenericNetlinkResolverTests
{
    private const byte CtrlCmdNewFamily = 1;
    private const byte CtrlVersion = 2;

    /// <summary>CTRL_CMD_NEWFAMILY as the kernel builds it: scalar attributes, then OPS and MCAST_GROUPS nested without NLA_F_NESTED.</summary>
    private static byte[] NewFamily(SentMessage request, string name, ushort id, uint version, uint headerSize, uint maxAttribute, (uint Id, string Name)[] groups) =>
        Reply(request, GenericNetlinkResolver.ControllerId, GenericPayload(CtrlCmdNewFamily, CtrlVersion,
            AttrString(2, name),                    // CTRL_ATTR_FAMILY_NAME
            AttrU16(1, id),                         // CTRL_ATTR_FAMILY_ID (u16)
            AttrU32(3, version),                    // CTRL_ATTR_VERSION
            AttrU32(4, headerSize),                 // CTRL_ATTR_HDRSIZE
            AttrU32(5, maxAttribute),               // CTRL_ATTR_MAXATTR
            Nested(6, false,                        // CTRL_ATTR_OPS: array of nests indexed from 1
                Nested(1, false, AttrU32(1, 1), AttrU32(2, 0x0b)),  // CTRL_ATTR_OP_ID = 1, CTRL_ATTR_OP_FLAGS = ADMIN_PERM|CAP_DO|HASPOL
                Nested(2, false, AttrU32(1, 4), AttrU32(2, 0x0f))), // op 4: also CAP_DUMP
            Nested(7, false, [.. groups.Select((g, i) => Nested((ushort)(i + 1), false,
                AttrU32(2, g.Id),                   // CTRL_ATTR_MCAST_GRP_ID first, as the kernel puts it
                AttrString(1, g.Name)))]),          // CTRL_ATTR_MCAST_GRP_NAME
            AttrU32(99, 0)));                       // an attribute from a newer kernel: skipped

    private static ScriptedTransport Controller(Func<SentMessage, string, byte[][]> answer) => new(messages =>
    {
        SentMessage request = messages.Single();
        Assert.Equal(GenericNetlinkResolver.ControllerId, request.Type);
        Assert.Equal(3, request.GenericCommand); // CTRL_CMD_GETFAMILY
        var attributes = new NetlinkAttributeReader(request.Payload.AsSpan(4));
        Assert.True(attributes.TryRead(out NetlinkAttribute nameAttribute));
        Assert.Equal(2, nameAttribute.Type); // CTRL_ATTR_FAMILY_NAME
        return answer(request, nameAttribute.GetString());
    });

    [Fact]
    public void Resolve_sends_GETFAMILY_byte_for_byte()
    {
        var transport = Controller((r, name) => [NewFamily(r, name, 0x1d, 1, 0, 6, []), Ack(r)]);
        using var connection = new NetlinkConnection(transport);
        new GenericNetlinkResolver(connection).Resolve("IPVS");
        SentMessage sent = transport.SentMessages.Single();
        byte[] expected = Parse(
            "20000000",                     // nlmsg_len = 32
            "1000",                         // nlmsg_type = GENL_ID_CTRL
            "0500",                         // nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
            Format(BitConverter.GetBytes(sent.Sequence)), // nlmsg_seq: the connection's next number
            "21430000",                     // nlmsg_pid = the transport's port id 0x4321
            "03", "01", "0000",             // genlmsghdr: cmd = CTRL_CMD_GETFAMILY, version 1, reserved
            "0900 0200", "4950565300", "000000"); // CTRL_ATTR_FAMILY_NAME = "IPVS" + NUL, 3 bytes padding
        Assert.Equal(Format(expected), Format(transport.SentDatagrams.Single()));
    }

    [Fact]
    public void Resolve_parses_the_family_and_its_multicast_groups()
    {
        var transport = Controller((r, name) => [NewFamily(r, name, 0x10, 2, 0, 10, [(0x10, "notify")]), Ack(r)]);
        using var connection = new NetlinkConnection(transport);
        GenericNetlinkFamily family = new GenericNetlinkResolver(connection).Resolve("nlctrl");
        Assert.Equal("nlctrl", family.Name);
        Assert.Equal(0x10, family.Id);
        Assert.Equal(2u, family.Version);
        Assert.Equal(0u, family.HeaderSize);
        Assert.Equal(10u, family.MaxAttribute);
        Assert.Equal(new Dictionary<string, uint> { ["notify"] = 0x10 }, family.MulticastGroups);
    }

    [Fact]
    public void Resolve_parses_a_family_with_a_header_and_several_groups()
    {
        var transport = Controller((r, name) => [Datagram(NewFamily(r, name, 0x2a, 3, 8, 200, [(5, "config"), (6, "events")]), Ack(r))]);
        using var connection = new NetlinkConnection(transport);
        GenericNetlinkFamily family = new GenericNetlinkResolver(connection).Resolve("thermal");
        Assert.Equal((ushort)0x2a, family.Id);
        Assert.Equal(3u, family.Version);
        Assert.Equal(8u, family.HeaderSize);
        Assert.Equal(200u, family.MaxAttribute);
        Assert.Equal(5u, family.MulticastGroups["config"]);
        Assert.Equal(6u, family.MulticastGroups["events"]);
    }

    [Fact]
    public void Resolve_caches_so_the_second_call_sends_nothing_until_cleared()
    {
        var transport = Controller((r, name) => [NewFamily(r, name, 0x1d, 1, 0, 6, []), Ack(r)]);
        using var connection = new NetlinkConnection(transport);
        var resolver = new GenericNetlinkResolver(connection);
        GenericNetlinkFamily first = resolver.Resolve("IPVS");
        GenericNetlinkFamily second = resolver.Resolve("IPVS");
        Assert.Same(first, second);
        Assert.Single(transport.SentDatagrams);
        resolver.Resolve("TASKSTATS");
        Assert.Equal(2, transport.SentDatagrams.Count);
        resolver.Clear();
        resolver.Resolve("IPVS");
        Assert.Equal(3, transport.SentDatagrams.Count);
    }

    [Fact]
    public void A_missing_family_is_ENOENT_naming_it_and_is_not_cached()
    {
        var transport = Controller((r, _) => [Error(r, Errno.ENOENT, "Generic netlink family not found")]);
        using var connection = new NetlinkConnection(transport);
        var resolver = new GenericNetlinkResolver(connection);
        NetlinkException e = Assert.Throws<NetlinkException>(() => resolver.Resolve("IPVS"));
        Assert.Equal(Errno.ENOENT, e.ErrorNumber);
        Assert.Equal("resolve generic netlink family", e.Operation);
        Assert.Equal("IPVS", e.Target);
        Assert.Equal("Generic netlink family not found", e.KernelMessage);
        Assert.Throws<NetlinkException>(() => resolver.Resolve("IPVS"));
        Assert.Equal(2, transport.SentDatagrams.Count);
    }

    [Fact]
    public void TryResolve_answers_a_missing_family_with_null_but_throws_any_other_refusal()
    {
        var transport = Controller((r, name) => [Error(r, name == "IPVS" ? Errno.ENOENT : Errno.EPERM)]);
        using var connection = new NetlinkConnection(transport);
        var resolver = new GenericNetlinkResolver(connection);
        Assert.Null(resolver.TryResolve("IPVS"));
        NetlinkException e = Assert.Throws<NetlinkException>(() => resolver.TryResolve("TASKSTATS"));
        Assert.Equal(Errno.EPERM, e.ErrorNumber);
        Assert.Equal("TASKSTATS", e.Target);
    }

    [Fact]
    public void An_ack_without_a_description_or_a_description_without_id_is_a_protocol_error()
    {
        using var bare = new NetlinkConnection(Controller((r, _) => [Ack(r)]));
        Assert.Throws<NetlinkProtocolException>(() => new GenericNetlinkResolver(bare).Resolve("IPVS"));
        using var noId = new NetlinkConnection(Controller((r, name) => [Reply(r, 0x10, GenericPayload(1, 2, AttrString(2, name))), Ack(r)]));
        Assert.Throws<NetlinkProtocolException>(() => new GenericNetlinkResolver(noId).Resolve("IPVS"));
        using var badId = new NetlinkConnection(Controller((r, name) => [Reply(r, 0x10, GenericPayload(1, 2, AttrString(2, name), AttrU32(1, 0x1d))), Ack(r)]));
        Assert.Throws<NetlinkProtocolException>(() => new GenericNetlinkResolver(badId).Resolve("IPVS")); // FAMILY_ID is a u16
    }

    [Fact]
    public void Resolve_refuses_an_empty_name()
    {
        using var connection = new NetlinkConnection(new ScriptedTransport());
        Assert.Throws<ArgumentException>(() => new GenericNetlinkResolver(connection).Resolve(""));
    }
}
