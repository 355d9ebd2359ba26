using System.Buffers.Binary;
using Netlink.Generic;
using Netlink.Testing;
using static Netlink.Testing.KernelReplies;

namespace Netlink.Tests.Core;

/// <summary>
/// Seeded garbage, truncations and bit flips of valid kernel replies: reading messages and attributes (recursively,
/// with every getter) never throws anything but <see cref="NetlinkProtocolException"/> and always makes progress;
/// a connection fed the same never throws anything but <see cref="NetlinkException"/>.
/// </summary>
public sealed class NetlinkFuzzTests
{
    private const int MaxDepth = 6;

    private static readonly int[] InterestingLengths = [0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 19, 20, 21, 0xfff, 0xfffc, 0xffff, 0x10000, 0x7ffffffc, 0x7fffffff, unchecked((int)0x80000000), -1];

    private static byte[][] Corpus()
    {
        var request = new SentMessage(0x1c, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, 100, 5, GenericPayload(1, 1, AttrU16(1, 2)), []);
        byte[] raw = [.. Message(0x1c, request.Flags, 100, 5, request.Payload)];
        request = request with { Raw = raw[..(16 + request.Payload.Length)] };
        byte[] stats = Nested(10, false, AttrU32(1, 5), AttrU32(2, 6), AttrU64(4, 1 << 40));
        byte[] service = Nested(1, true, AttrU16(1, 2), AttrU16(2, 6), Attr(3, new byte[16]), Attr(4, [0, 80]), AttrString(6, "wlc"), Attr(7, new byte[8]), stats);
        return
        [
            Datagram(DumpEntry(request, 0x1c, GenericPayload(1, 1, service)), DumpEntry(request, 0x1c, GenericPayload(1, 1, service)), Done(request)),
            Datagram(Error(request, Errno.EINVAL, "Attribute failed policy validation", 20, capped: false)),
            Datagram(Error(request, Errno.EEXIST, "exists", 24)),
            Datagram(Reply(request, 0x10, GenericPayload(1, 2,
                AttrString(2, "nlctrl"), AttrU16(1, 0x10), AttrU32(3, 2), AttrU32(4, 0), AttrU32(5, 10),
                Nested(6, false, Nested(1, false, AttrU32(1, 3), AttrU32(2, 0x0e))),
                Nested(7, false, Nested(1, false, AttrU32(2, 0x10), AttrString(1, "notify"))))), Ack(request)),
            Datagram(Done(request, -Errno.EMSGSIZE, "dump too big", NetlinkMessageFlags.DumpInterrupted)),
            Datagram(Message(0x0a00, NetlinkMessageFlags.Multi, 1, 0, [2, 0, 0, 0x0a, .. AttrString(1, "t"), .. Nested(2, true, Nested(1, true, AttrString(1, "payload"), Nested(2, true, AttrU32(1, 1))))])),
        ];
    }

    private static byte[] Mutate(Random random, byte[][] corpus)
    {
        byte[] input = [.. corpus[random.Next(corpus.Length)]];
        switch (random.Next(6))
        {
            case 0: // truncation
                return input[..random.Next(input.Length + 1)];
            case 1: // bit flips
                for (int i = random.Next(1, 9); i > 0 && input.Length > 0; i--)
                {
                    input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
                }
                return input;
            case 2: // a length-shaped field overwritten with an interesting value
                for (int i = random.Next(1, 4); i > 0 && input.Length >= 4; i--)
                {
                    int at = random.Next(input.Length / 2 - 1) * 2;
                    int value = InterestingLengths[random.Next(InterestingLengths.Length)];
                    if (random.Next(2) == 0)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(input.AsSpan(at), (ushort)value);
                    }
                    else if (at + 4 <= input.Length)
                    {
                        BinaryPrimitives.WriteInt32LittleEndian(input.AsSpan(at), value);
                    }
                }
                return input;
            case 3: // garbage
                byte[] garbage = new byte[random.Next(0, 300)];
                random.NextBytes(garbage);
                if (garbage.Length >= 4 && random.Next(2) == 0)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(garbage, random.Next(garbage.Length + 8)); // plausible nlmsg_len
                }
                return garbage;
            case 4: // flips then truncation
                input[random.Next(input.Length)] ^= (byte)random.Next(1, 256);
                return input[..random.Next(input.Length + 1)];
            default: // two pieces spliced
                byte[] other = corpus[random.Next(corpus.Length)];
                return [.. input[..random.Next(input.Length + 1)], .. other[random.Next(other.Length + 1)..]];
        }
    }

    /// <summary>Reads everything in <paramref name="datagram"/> every way a caller might. Throws only NetlinkProtocolException.</summary>
    private static void ReadEverything(ReadOnlySpan<byte> datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        int loops = 0;
        while (reader.TryRead(out NetlinkMessage message))
        {
            Progress(ref loops, datagram.Length, 16);
            foreach (int fixedHeader in (int[])[0, 4, 5, 20])
            {
                try
                {
                    ReadAttributes(message.Attributes(fixedHeader), 0);
                }
                catch (NetlinkProtocolException)
                {
                }
            }
            try
            {
                _ = message.GenericCommand;
                _ = GenericNetlinkResolver.Parse(message);
            }
            catch (NetlinkProtocolException)
            {
            }
            try
            {
                _ = message.ReadErrorCode();
            }
            catch (NetlinkProtocolException)
            {
            }
        }
    }

    private static void ReadAttributes(NetlinkAttributeReader reader, int depth)
    {
        int loops = 0;
        int budget = 65536;
        while (reader.TryRead(out NetlinkAttribute attribute))
        {
            Progress(ref loops, budget, 4);
            CallEveryGetter(attribute);
            if (depth < MaxDepth)
            {
                try
                {
                    ReadAttributes(attribute.GetNested(), depth + 1);
                }
                catch (NetlinkProtocolException)
                {
                }
            }
        }
    }

    private static void Progress(ref int loops, int length, int minimumStep)
    {
        loops++;
        if (loops > length / minimumStep + 1)
        {
            Assert.Fail($"reader made {loops} steps over {length} bytes: it is not advancing");
        }
    }

    private static void CallEveryGetter(NetlinkAttribute a)
    {
        try { _ = a.GetByte(); } catch (NetlinkProtocolException) { }
        try { _ = a.GetUInt16(); } catch (NetlinkProtocolException) { }
        try { _ = a.GetUInt32(); } catch (NetlinkProtocolException) { }
        try { _ = a.GetInt32(); } catch (NetlinkProtocolException) { }
        try { _ = a.GetUInt64(); } catch (NetlinkProtocolException) { }
        try { _ = a.GetUInt16BigEndian(); } catch (NetlinkProtocolException) { }
        try { _ = a.GetUInt32BigEndian(); } catch (NetlinkProtocolException) { }
        try { _ = a.GetUInt64BigEndian(); } catch (NetlinkProtocolException) { }
        try { _ = a.ExpectAtLeast(16); } catch (NetlinkProtocolException) { }
        _ = a.GetString();
        _ = a.GetStringBytes();
        _ = a.Type;
        _ = a.IsNestedFlagSet;
    }

    [Fact(Timeout = 120_000)]
    public async Task Reading_garbage_throws_only_protocol_exceptions_and_always_terminates()
    {
        await Task.Run(() =>
        {
            byte[][] corpus = Corpus();
            foreach (byte[] valid in corpus)
            {
                ReadEverything(valid); // the corpus itself reads cleanly at the message level
            }
            var random = new Random(20240611);
            int protocolErrors = 0;
            for (int i = 0; i < 20_000; i++)
            {
                byte[] input = Mutate(random, corpus);
                try
                {
                    ReadEverything(input);
                }
                catch (NetlinkProtocolException)
                {
                    protocolErrors++;
                }
                catch (Exception e) when (e is not Xunit.Sdk.IAssertionException)
                {
                    Assert.Fail($"input {i} ({WireHex.Format(input)}) threw {e.GetType().Name}: {e}");
                }
            }
            Assert.InRange(protocolErrors, 1000, 19_999); // the mutations really do produce bad input, and not only bad input
        }, TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Every_truncation_of_every_valid_reply_is_a_protocol_error_or_a_shorter_valid_read()
    {
        foreach (byte[] valid in Corpus())
        {
            for (int length = 0; length < valid.Length; length++)
            {
                try
                {
                    ReadEverything(valid.AsSpan(0, length));
                }
                catch (NetlinkProtocolException)
                {
                }
            }
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_connection_fed_mutated_replies_throws_only_netlink_exceptions()
    {
        await Task.Run(() =>
        {
            var random = new Random(7);
            for (int i = 0; i < 4000; i++)
            {
                int kind = random.Next(3);
                var transport = new ScriptedTransport(messages =>
                {
                    SentMessage request = messages[0];
                    byte[] valid = kind switch
                    {
                        0 => Datagram(Reply(request, 0x10, GenericPayload(1, 2, AttrString(2, "IPVS"), AttrU16(1, 0x1d), Nested(7, false, Nested(1, false, AttrString(1, "g"), AttrU32(2, 3))))), Error(request, Errno.EINVAL, "bad", 20, capped: random.Next(2) == 0)),
                        1 => Datagram(DumpEntry(request, 0x1d, GenericPayload(1, 1, AttrU32(1, 1))), Done(request, -Errno.ENOMEM, "no memory", random.Next(4) == 0 ? NetlinkMessageFlags.DumpInterrupted : 0)),
                        _ => Datagram(Error(request, Errno.EEXIST, "exists", 24, capped: false)),
                    };
                    byte[] mutated = Mutate(random, [valid]);
                    return [mutated];
                });
                using var connection = new NetlinkConnection(transport);
                try
                {
                    using var request = new NetlinkBuffer();
                    var w = new NetlinkWriter(request);
                    NetlinkMessageToken m = w.BeginMessage(GenericNetlinkResolver.ControllerId, NetlinkMessageFlags.Request, 0);
                    w.WriteGenericHeader(3, 1);
                    w.WriteString(2, "IPVS");
                    w.EndMessage(m);
                    if (kind == 1)
                    {
                        connection.Dump(request, static message =>
                        {
                            ReadAttributes(message.GenericAttributes, 0);
                            return (object?)null;
                        }, "dump");
                    }
                    else
                    {
                        new GenericNetlinkResolver(connection).Resolve("IPVS");
                    }
                }
                catch (NetlinkException)
                {
                }
                catch (Exception e)
                {
                    Assert.Fail($"case {i} threw {e.GetType().Name}: {e}");
                }
            }
        }, TestContext.Current.CancellationToken);
    }
}
