using Netlink.Testing;
using System.Buffers.Binary;
using static Netlink.Testing.KernelReplies;
using static Netlink.Tests.Core.GenericTestMessages;

namespace Netlink.Tests.Core;

/// <summary>
/// <see cref="NetlinkConnection"/> is not thread-safe and says so: a second operation that starts while one is in
/// progress is refused with <see cref="InvalidOperationException"/>, and the first finishes unharmed.
/// </summary>
public sealed class ConcurrentUseTests
{
    /// <summary>Answers a dump with entries 1 and 2, and anything else with an ack.</summary>
    private static ScriptedTransport Kernel() => new(m => m[0].Has(NetlinkMessageFlags.Dump)
        ? [Datagram(DumpEntry(m[0], Family, GenericPayload(1, 1, AttrU32(1, 1))), DumpEntry(m[0], Family, GenericPayload(1, 1, AttrU32(1, 2))), Done(m[0]))]
        : [Ack(m[0])]);

    private static uint ValueOf(NetlinkMessage message) => BinaryPrimitives.ReadUInt32LittleEndian(message.Payload[8..]);

    [Fact]
    public async Task A_second_thread_is_refused_while_a_dump_is_in_progress_and_the_dump_still_completes()
    {
        var gate = new GatedTransport(Kernel());
        using var connection = new NetlinkConnection(gate);
        using NetlinkBuffer dumpRequest = Request();
        using NetlinkBuffer otherRequest = Request();
        gate.Arm();
        Task<List<uint>> dump = Task.Run(() => connection.Dump(dumpRequest, ValueOf, "list things"), TestContext.Current.CancellationToken);
        gate.WaitUntilBlocked();

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => connection.Execute(otherRequest, "add thing", null));
        Assert.Contains("is not thread-safe", e.Message, StringComparison.Ordinal);
        Assert.Contains("used from two threads at once; use one client per thread or lock around it", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => connection.Dump(otherRequest, ValueOf, "list things"));

        gate.Release();
        Assert.Equal([1u, 2u], await dump);
        Assert.Single(gate.Inner.SentDatagrams); // the refused operations sent nothing
        connection.Execute(otherRequest, "add thing", null); // and once the dump is over the connection is free again
        Assert.Equal(2, gate.Inner.SentDatagrams.Count);
    }

    [Fact]
    public void Using_the_connection_from_its_own_dump_callback_is_refused_and_leaves_it_usable()
    {
        using var connection = new NetlinkConnection(Kernel());
        using NetlinkBuffer dumpRequest = Request();
        using NetlinkBuffer otherRequest = Request();
        var reentrant = new Reentrant(() => connection.Execute(otherRequest, "add thing", null));

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => connection.Dump(dumpRequest, ValueOf, reentrant, "list things"));
        Assert.Contains("from inside a reply callback", e.Message, StringComparison.Ordinal);
        Assert.Equal([1u, 2u], connection.Dump(dumpRequest, ValueOf, "list things"));
    }

    private sealed class Reentrant(Action action) : IDumpReceiver<uint>
    {
        public void OnItem(uint item) => action();

        public void OnRestart()
        {
        }
    }
}
