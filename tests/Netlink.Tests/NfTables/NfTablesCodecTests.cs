using System.Net;
using System.Net.Sockets;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Codec;
using Netlink.Netfilter.NfTables.Expressions;
using Netlink.Testing;

namespace Netlink.Tests.NfTables;

/// <summary>
/// Decoding: every message kind the library writes is the same format the kernel dumps, so each is decoded back into
/// the model and re-encoded to the same bytes; unknown expressions survive byte for byte; garbage only ever throws
/// <see cref="NetlinkProtocolException"/>.
/// </summary>
public sealed class NfTablesCodecTests
{
    private const TableFamily Ip = TableFamily.IPv4;

    internal static Expression[] EveryExpression() =>
    [
        new MetaExpression(MetaKey.L4Proto), CmpExpression.Equal(SetKey.Protocol(ProtocolType.Tcp)),
        PayloadExpression.Ipv4Destination(), new CmpExpression(CmpOp.GreaterOrEqual, Registers.R1, SetKey.Ipv4(IPAddress.Parse("198.18.0.1"))),
        PayloadExpression.Ipv6Source(Registers.R2), PayloadExpression.TransportDestinationPort(Registers.Reg32(1)),
        new MetaExpression(MetaKey.Mark), BitwiseExpression.And(SetKey.Number(0x4000)), new MetaSetExpression(MetaKey.Mark),
        new CtExpression(CtKey.State), new CtExpression(CtKey.DestinationIp, Registers.R1, CtDirection.Original), new CtSetExpression(CtKey.Mark),
        new LookupExpression("vips"), new LookupExpression("blocked", Inverted: true), LookupExpression.VerdictMap("services") with { SetId = 3 },
        new CounterExpression(12, 3400),
        ImmediateExpression.Of(Registers.R1, SetKey.Ipv4(IPAddress.Parse("198.19.0.1"))), ImmediateExpression.Of(Verdict.JumpTo("svc")),
        new NatExpression(NatType.Dnat, TableFamily.IPv4) { AddressMinRegister = 1, AddressMaxRegister = 1, ProtoMinRegister = 2, ProtoMaxRegister = 2, Flags = NatFlags.ProtoSpecified | NatFlags.MapIps },
        new NatExpression(NatType.Snat, TableFamily.IPv6) { AddressMinRegister = 1 },
        new MasqExpression(NatFlags.ProtoRandomFully), new MasqExpression { ProtoMinRegister = 1, ProtoMaxRegister = 2 },
        new RedirExpression(NatFlags.ProtoSpecified) { ProtoMinRegister = 1 },
        new NumgenExpression(NumgenType.Random, 10), new NumgenExpression(NumgenType.Incremental, 3, Registers.R2, 5),
        new LogExpression { Prefix = "drop ", Group = 2, SnapLength = 64, QueueThreshold = 4, Level = 4, Flags = 1 },
        new LimitExpression(10, 60, 5, LimitType.Bytes, Inverted: true), new RejectExpression(RejectType.TcpReset, 0),
        new ByteorderExpression(Registers.Reg32(1), Registers.Reg32(1), ByteorderOp.HostToNetwork, 1, 2),
        ImmediateExpression.Of(Verdict.GoTo("ep-1")), ImmediateExpression.Of(Verdict.Accept),
        new OpaqueExpression("quota", new byte[] { 0x0c, 0x00, 0x01, 0x00, 0, 0, 0, 0, 0, 0xa0, 0, 0 }),
    ];

    /// <summary>Every message kind, queued in one transaction.</summary>
    internal static byte[] EveryMessage()
    {
        using var tx = new Transaction();
        NftSet map = new(Ip, "t", "services", SetType.Concat(SetType.Ipv4Address, SetType.InetProto, SetType.InetService)) { DataType = SetType.Verdict };
        NftSet ranges = new(Ip, "t", "nets", SetType.Concat(SetType.Ipv4Address, SetType.InetService)) { Flags = SetFlags.Interval | SetFlags.Timeout, Timeout = TimeSpan.FromSeconds(5), Size = 64 };
        NftSet data = new(Ip, "t", "ports", SetType.InetService) { DataType = SetType.Ipv4Address, UserData = new byte[] { 0, 4, 2, 0, 0, 0 } };
        tx.AddTable(new Table(Ip, "t") { Flags = 1 })
          .AddChain(new Chain(Ip, "t", "pre") { Base = new BaseChainSpec(ChainType.Nat, HookPoint.Prerouting, -100) })
          .AddChain(new Chain(TableFamily.NetDev, "t", "in") { Base = new BaseChainSpec(ChainType.Filter, HookPoint.Ingress, 0, ChainPolicy.Drop, "eth0") })
          .AddChain(new Chain(Ip, "t", "svc"))
          .AddRule(new Rule(Ip, "t", "pre", EveryExpression()) { Comment = "every expression" })
          .AddRule(new Rule(Ip, "t", "pre", [new CounterExpression()]) { UserData = new byte[] { 0, 2, 0x41, 0, 1, 1, 7 } })
          .AddSet(map).AddSet(ranges).AddSet(data)
          .AddElements(map, [SetElement.WithVerdict(SetKey.Concat(SetKey.Ipv4(IPAddress.Parse("198.18.0.1")), SetKey.Protocol(ProtocolType.Udp), SetKey.Port(53)), Verdict.GoTo("svc"))])
          .AddElements(ranges, [new SetElement(SetKey.Concat(SetKey.Ipv4(IPAddress.Parse("198.18.0.0")), SetKey.Port(1)))
              { KeyEnd = SetKey.Concat(SetKey.Ipv4(IPAddress.Parse("198.18.255.255")), SetKey.Port(1024)), Timeout = TimeSpan.FromSeconds(9) }])
          .AddElements(data, [SetElement.WithData(SetKey.Port(80), SetKey.Ipv4(IPAddress.Parse("198.19.0.1"))) with { UserData = new byte[] { 0, 3, 0x68, 0x69, 0 } }]);
        return tx.Seal().WrittenSpan.ToArray();
    }

    private static byte[] Reencode(ReadOnlySpan<byte> messageBytes)
    {
        var reader = new NetlinkMessageReader(messageBytes);
        Assert.True(reader.TryRead(out NetlinkMessage message));
        int kind = NfMessageParser.NftMessage(message);
        var flags = message.Flags;
        using var tx = new Transaction();
        switch (kind)
        {
            case 0: tx.AddTable(NfMessageParser.ParseTable(message)); break;
            case 3: tx.AddChain(NfMessageParser.ParseChain(message)); break;
            case 6: tx.AddRule(NfMessageParser.ParseRule(message)); break;
            case 9:
                NftSet set = NfMessageParser.ParseSet(message);
                tx.AddSet(set);
                break;
            case 12:
                var elements = new List<SetElement>();
                NfMessageParser.ParseElements(message, elements);
                string table = "t", name = TargetSet(message);
                tx.AddElements((TableFamily)message.Payload[0], table, name, elements);
                break;
            default:
                throw new InvalidOperationException($"message kind {kind}");
        }
        _ = flags;
        byte[] all = tx.Seal().WrittenSpan.ToArray();
        return all[20..^20];
    }

    private static string TargetSet(NetlinkMessage message)
    {
        foreach (NetlinkAttribute a in message.Attributes(4))
        {
            if (a.Type == 2)
            {
                return a.GetString();
            }
        }
        throw new InvalidOperationException("no set name");
    }

    private static List<byte[]> Messages(byte[] batch)
    {
        var list = new List<byte[]>();
        int at = 0;
        while (at < batch.Length)
        {
            int length = BitConverter.ToInt32(batch, at);
            list.Add(batch[at..(at + length)]);
            at += (length + 3) & ~3;
        }
        return list;
    }

    [Fact]
    public void Every_message_decodes_into_the_model_and_encodes_back_to_the_same_bytes()
    {
        List<byte[]> messages = Messages(EveryMessage());
        Assert.Equal(14, messages.Count); // begin, table, 3 chains, 2 rules, 3 sets, 3 element lists, end
        foreach (byte[] message in messages[1..^1])
        {
            byte[] again = Reencode(message);
            Assert.Equal(Convert.ToHexStringLower(message), Convert.ToHexStringLower(again));
        }
    }

    [Fact]
    public void Decoded_rule_holds_every_expression_as_its_own_type_and_unknown_ones_as_opaque()
    {
        byte[] ruleMessage = Messages(EveryMessage())[5];
        var reader = new NetlinkMessageReader(ruleMessage);
        Assert.True(reader.TryRead(out NetlinkMessage message));
        Rule rule = NfMessageParser.ParseRule(message);
        Assert.Equal("every expression", rule.Comment);
        Assert.Null(rule.UserData);
        Assert.Equal(EveryExpression(), rule.Expressions);
        Assert.IsType<OpaqueExpression>(rule.Expressions[^1]);
    }

    [Fact]
    public void Set_types_are_recognised_from_the_kernel_numbers()
    {
        List<byte[]> messages = Messages(EveryMessage());
        NftSet Parse(int i)
        {
            var reader = new NetlinkMessageReader(messages[i]);
            Assert.True(reader.TryRead(out NetlinkMessage message));
            return NfMessageParser.ParseSet(message);
        }
        NftSet map = Parse(7), ranges = Parse(8), data = Parse(9);
        Assert.Equal("ipv4_addr . inet_proto . inet_service", map.KeyType.Name);
        Assert.Equal(SetType.Verdict, map.DataType);
        Assert.Equal(SetFlags.Map, map.Flags);
        Assert.Equal("ipv4_addr . inet_service", ranges.KeyType.Name);
        Assert.Equal(SetFlags.Interval | SetFlags.Timeout | SetFlags.Concat, ranges.Flags);
        Assert.Equal([4, 2], ranges.KeyType.FieldLengths);
        Assert.Equal(64u, ranges.Size);
        Assert.Equal(TimeSpan.FromSeconds(5), ranges.Timeout);
        Assert.Equal(SetType.Ipv4Address, data.DataType);
        Assert.Equal(SetType.FromId(999, 3), SetType.FromId(999, 3));
    }

    [Fact]
    public void Known_expression_with_an_attribute_the_library_does_not_model_stays_opaque()
    {
        // A payload write (NFTA_PAYLOAD_SREG, checksum attributes) is "payload" but not a PayloadExpression.
        byte[] data = [.. KernelReplies.Attr(5, [0, 0, 0, 1]), .. KernelReplies.Attr(2, [0, 0, 0, 1])];
        Expression e = ExpressionCodec.Decode("payload", data);
        OpaqueExpression opaque = Assert.IsType<OpaqueExpression>(e);
        Assert.Equal("payload", opaque.Name);
        Assert.Equal(data, opaque.Data.ToArray());
        Assert.IsType<OpaqueExpression>(ExpressionCodec.Decode("bitwise", [.. KernelReplies.Attr(6, [0, 0, 0, 1])]));
        Assert.IsType<OpaqueExpression>(ExpressionCodec.Decode("match", [1, 2, 3, 4]));
    }

    [Fact]
    public void Garbage_only_ever_throws_protocol_exceptions()
    {
        var random = new Random(4);
        List<byte[]> messages = Messages(EveryMessage())[1..^1];
        int parsed = 0, refused = 0;
        for (int round = 0; round < 20_000; round++)
        {
            byte[] bytes = (byte[])messages[random.Next(messages.Count)].Clone();
            switch (random.Next(3))
            {
                case 0:
                    for (int flips = random.Next(1, 6); flips > 0; flips--)
                    {
                        bytes[random.Next(16, bytes.Length)] = (byte)random.Next(256);
                    }
                    break;
                case 1:
                    int cut = random.Next(16, bytes.Length);
                    bytes = bytes[..cut];
                    BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), cut);
                    break;
                default:
                    random.NextBytes(bytes.AsSpan(16 + random.Next(bytes.Length - 16)));
                    break;
            }
            try
            {
                var reader = new NetlinkMessageReader(bytes);
                while (reader.TryRead(out NetlinkMessage message))
                {
                    _ = NfMessageParser.ParseTable(message);
                }
            }
            catch (NetlinkProtocolException)
            {
            }
            try
            {
                ParseAll(bytes);
                parsed++;
            }
            catch (NetlinkProtocolException)
            {
                refused++;
            }
        }
        Assert.True(parsed > 100 && refused > 100, $"parsed {parsed}, refused {refused}");
    }

    private static void ParseAll(byte[] bytes)
    {
        var reader = new NetlinkMessageReader(bytes);
        while (reader.TryRead(out NetlinkMessage message))
        {
            switch (NfMessageParser.NftMessage(message))
            {
                case 0: NfMessageParser.ParseTable(message); break;
                case 3: NfMessageParser.ParseChain(message); break;
                case 6: NfMessageParser.ParseRule(message); break;
                case 9: NfMessageParser.ParseSet(message); break;
                case 12: NfMessageParser.ParseElements(message, []); break;
                default: NfMessageParser.ParseRule(message); break;
            }
        }
    }
}
