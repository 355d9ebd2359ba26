using Netlink.Testing;

namespace Netlink.Tests.Faults;

/// <summary>The injector itself: faults land on the receive or send they were placed on, and a failed receive loses nothing.</summary>
public sealed class FaultyTransportTests
{
    /// <summary>One message whose payload's first byte tells datagrams apart.</summary>
    private static byte[] Datagram(byte marker) => KernelReplies.Message(0x20, NetlinkMessageFlags.None, 7, 0, [marker, 0, 0, 0]);

    [Fact]
    public void AFailedReceive_ConsumesNothing_AndCountsFromWhenItWasPlaced()
    {
        var inner = new ScriptedTransport();
        inner.Enqueue(Datagram(1));
        inner.Enqueue(Datagram(2));
        using var faulty = new FaultyTransport(inner);
        using var buffer = new NetlinkBuffer();

        faulty.FailReceive(Errno.ENOBUFS, skip: 1);
        faulty.Receive(buffer);
        Assert.Equal(1, buffer.WrittenSpan[16]);
        Assert.Equal(Errno.ENOBUFS, Assert.Throws<NetlinkException>(() => faulty.Receive(buffer)).ErrorNumber);
        faulty.Receive(buffer);

        Assert.Equal(2, buffer.WrittenSpan[16]);
        Assert.Equal(1, faulty.Injected);
    }

    [Fact]
    public void WhenSent_FiresOnceOnTheMatchingRequest_AndEAGAINReadsAsTheSocketsTimeout()
    {
        using var faulty = new FaultyTransport(ScriptedTransport.AckEverything());
        using var connection = new NetlinkConnection(faulty, ownsTransport: false);
        int fired = 0;
        faulty.WhenSent(m => m.Type == 0x30, f =>
        {
            fired++;
            f.FailReceive(Errno.EAGAIN);
        });
        using var other = Request(0x20);
        using var matching = Request(0x30);

        connection.Execute(other, "first", null);
        var e = Assert.Throws<NetlinkException>(() => connection.Execute(matching, "second", null));
        connection.Execute(matching, "third", null);

        Assert.Equal(1, fired);
        Assert.Equal(Errno.ETIMEDOUT, e.ErrorNumber);
    }

    [Fact]
    public void ATamperedReply_IsWhatTheCallerGets()
    {
        var inner = new ScriptedTransport();
        inner.Enqueue(Datagram(1));
        using var faulty = new FaultyTransport(inner);
        using var buffer = new NetlinkBuffer();
        faulty.TamperReceive(FaultyTransport.CutShort(4));

        int length = faulty.Receive(buffer);

        Assert.Equal(Datagram(1).Length - 4, length);
        Assert.Equal(length, buffer.Length);
    }

    private static NetlinkBuffer Request(ushort type)
    {
        var buffer = new NetlinkBuffer(64);
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken message = writer.BeginMessage(type, NetlinkMessageFlags.Request, 0);
        writer.WriteUInt32(1, 1);
        writer.EndMessage(message);
        return buffer;
    }
}
