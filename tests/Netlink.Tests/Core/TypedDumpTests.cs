using Netlink.Testing;
using System.Buffers.Binary;
using static Netlink.Testing.KernelReplies;
using static Netlink.Tests.Core.GenericTestMessages;

namespace Netlink.Tests.Core;

/// <summary>
/// The typed dump and query forms of <see cref="NetlinkConnection"/>: a collected dump is one consistent read, a
/// streamed dump tells its receiver of a restart, a parser skips a message by returning null.
/// </summary>
public sealed class TypedDumpTests
{
    /// <summary>Reads attribute 1; values of 100 and up stand for messages of another kind and are skipped.</summary>
    private static uint? ValueOf(NetlinkMessage message)
    {
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(message.Payload[8..]);
        return value >= 100 ? null : value;
    }

    [Fact]
    public void Collected_dump_discards_what_an_interrupted_attempt_gave_and_returns_the_next_attempt()
    {
        int attempt = 0;
        var transport = new ScriptedTransport(m => ++attempt == 1
            ? [Datagram(Entry(m[0], 1), Entry(m[0], 2, NetlinkMessageFlags.DumpInterrupted)), Done(m[0], extra: NetlinkMessageFlags.DumpInterrupted)]
            : [Datagram(Entry(m[0], 10), Entry(m[0], 20)), Datagram(Entry(m[0], 30), Done(m[0]))]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Request();
        List<uint?> values = connection.Dump(request, ValueOf, "list things");
        Assert.Equal([10u, 20u, 30u], values);
        Assert.Equal(2, transport.SentDatagrams.Count);
    }

    [Fact]
    public void Streamed_dump_tells_the_receiver_of_the_restart_before_the_items_come_again()
    {
        int attempt = 0;
        var transport = new ScriptedTransport(m => ++attempt == 1
            ? [Datagram(Entry(m[0], 1), Entry(m[0], 2, NetlinkMessageFlags.DumpInterrupted)), Done(m[0], extra: NetlinkMessageFlags.DumpInterrupted)]
            : [Datagram(Entry(m[0], 1), Entry(m[0], 2), Done(m[0]))]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Request();
        var receiver = new EventLog();
        connection.Dump(request, ValueOf, receiver, "list things");
        Assert.Equal(["1", "2", "restart", "1", "2"], receiver.Events);
    }

    [Fact]
    public void Parser_returning_null_skips_the_message_in_both_forms()
    {
        var transport = new ScriptedTransport(m => [Datagram(Entry(m[0], 1), Entry(m[0], 150), Entry(m[0], 2), Done(m[0]))]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Request();
        Assert.Equal([1u, 2u], connection.Dump(request, ValueOf, "list things"));
        var receiver = new EventLog();
        connection.Dump(request, ValueOf, receiver, "list things");
        Assert.Equal(["1", "2"], receiver.Events);
    }

    [Fact]
    public void Query_returns_the_first_reply_the_parser_keeps_and_null_when_there_is_none()
    {
        var transport = new ScriptedTransport(m => [Datagram(Reply(m[0], Family, GenericPayload(1, 1, AttrU32(1, 150))), Reply(m[0], Family, GenericPayload(1, 1, AttrU32(1, 7))), Ack(m[0]))]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Request();
        Assert.Equal(7u, connection.Query(request, ValueOf, "get thing", null));
        var silent = new ScriptedTransport(m => [Ack(m[0])]);
        using var quiet = new NetlinkConnection(silent);
        Assert.Null(quiet.Query(request, ValueOf, "get thing", null));
    }

    [Fact]
    public void TryQuery_returns_the_refusal_instead_of_throwing()
    {
        var transport = new ScriptedTransport(m => [Error(m[0], Errno.ENOENT, "no such family")]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Request();
        NetlinkOperationError? refused = connection.TryQuery(request, ValueOf, out uint? reply);
        Assert.Equal(Errno.ENOENT, refused?.ErrorNumber);
        Assert.Equal("no such family", refused?.KernelMessage);
        Assert.Null(reply);
    }

    private sealed class EventLog : IDumpReceiver<uint?>
    {
        public List<string> Events { get; } = [];

        public void OnItem(uint? item) => Events.Add(item.ToString()!);

        public void OnRestart() => Events.Add("restart");
    }
}
