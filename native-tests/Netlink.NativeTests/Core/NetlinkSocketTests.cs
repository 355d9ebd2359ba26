using Netlink.Generic;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Core;

/// <summary>The socket and connection against this machine's own kernel: the generic netlink controller answers.</summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class NetlinkSocketTests
{
    [Fact]
    public void Open_BindsAndGetsAPortIdFromTheKernel()
    {
        using NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Generic);
        Assert.NotEqual(0u, socket.PortId);
        using NetlinkSocket second = NetlinkSocket.Open(NetlinkProtocol.Generic);
        Assert.NotEqual(socket.PortId, second.PortId);
    }

    [Fact]
    public void ReceiveBuffer_GrowsOnRequest()
    {
        using NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Generic, new NetlinkSocketOptions { ReceiveBufferSize = 256 * 1024 });
        int before = socket.ReceiveBufferSize;
        socket.EnsureReceiveBufferSize(16 << 20);
        Assert.True(socket.ReceiveBufferSize >= 16 << 20, $"SO_RCVBUF {socket.ReceiveBufferSize} after asking for 16 MiB (was {before})");
    }

    [Fact]
    public void Receive_WithNothingToRead_TimesOutWithEtimedout()
    {
        using NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Generic, new NetlinkSocketOptions { ReceiveTimeout = TimeSpan.FromMilliseconds(200) });
        using var buffer = new NetlinkBuffer();
        var started = System.Diagnostics.Stopwatch.StartNew();
        NetlinkException e = Assert.Throws<NetlinkException>(() => socket.Receive(buffer));
        Assert.Equal(Errno.ETIMEDOUT, e.ErrorNumber);
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Resolve_Controller_ReturnsItsFixedId()
    {
        using NetlinkConnection connection = NetlinkConnection.Open(NetlinkProtocol.Generic);
        GenericNetlinkFamily family = new GenericNetlinkResolver(connection).Resolve("nlctrl");
        Assert.Equal(GenericNetlinkResolver.ControllerId, family.Id);
        Assert.Equal("nlctrl", family.Name);
        Assert.True(family.MulticastGroups.ContainsKey("notify"));
    }

    [Fact]
    public void Resolve_MissingFamily_ThrowsEnoentNamingIt()
    {
        using NetlinkConnection connection = NetlinkConnection.Open(NetlinkProtocol.Generic);
        NetlinkException e = Assert.Throws<NetlinkException>(() => new GenericNetlinkResolver(connection).Resolve("no-such-family"));
        Assert.Equal(Errno.ENOENT, e.ErrorNumber);
        Assert.Contains("resolve generic netlink family no-such-family", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dump_OfEveryFamily_SpansSeveralDatagramsAndEndsAtDone()
    {
        using NetlinkConnection connection = NetlinkConnection.Open(NetlinkProtocol.Generic);
        using var request = new NetlinkBuffer();
        ControllerRequests.GetFamily(request, null);
        List<string> names = connection.Dump(request, static message => GenericNetlinkResolver.Parse(message).Name, "list generic netlink families");
        Assert.Contains("nlctrl", names);
        Assert.True(names.Count >= 3, $"only {names.Count} families dumped");
        // The same connection is usable afterwards: the dump was read to its end.
        Assert.Equal(GenericNetlinkResolver.ControllerId, new GenericNetlinkResolver(connection).Resolve("nlctrl").Id);
    }

    [Fact]
    public void Receive_WithoutPeek_OffersExactlyMaxDatagramSize_AndFailsOnALargerDatagram()
    {
        // The family dump's first datagram holds several families, far more than 256 bytes: offered only 256 (not the
        // whole pooled array behind the buffer), the kernel cuts it, and the cut is reported, never parsed.
        using NetlinkConnection connection = NetlinkConnection.Open(NetlinkProtocol.Generic, new NetlinkSocketOptions { PeekDatagramSize = false, MaxDatagramSize = 256 });
        using var request = new NetlinkBuffer();
        ControllerRequests.GetFamily(request, null);
        NetlinkProtocolException e = Assert.Throws<NetlinkProtocolException>(() => connection.Dump(request, static message => GenericNetlinkResolver.Parse(message).Name, "list generic netlink families"));
        Assert.Contains("exceeded the 256-byte receive buffer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dump_WithoutPeek_InDatagramsOfAFewKiB_IsReadWhole()
    {
        // The kernel sizes dump datagrams by the receive buffer offered, so a dump read with 7872-byte receives (what
        // IpvsClient uses) comes in datagrams that fit them.
        using NetlinkConnection small = NetlinkConnection.Open(NetlinkProtocol.Generic, new NetlinkSocketOptions { PeekDatagramSize = false, MaxDatagramSize = 7872 });
        using NetlinkConnection peeking = NetlinkConnection.Open(NetlinkProtocol.Generic);
        using var request = new NetlinkBuffer();
        ControllerRequests.GetFamily(request, null);
        List<string> names = small.Dump(request, static message => GenericNetlinkResolver.Parse(message).Name, "list generic netlink families");
        request.Clear();
        ControllerRequests.GetFamily(request, null);
        Assert.Equal(peeking.Dump(request, static message => GenericNetlinkResolver.Parse(message).Name, "list generic netlink families"), names);
    }

    [Fact]
    public void Batch_ManyRequestsInFewSends_AllAcknowledged()
    {
        using NetlinkConnection connection = NetlinkConnection.Open(NetlinkProtocol.Generic);
        using var requests = new NetlinkBuffer();
        for (int i = 0; i < 1000; i++)
        {
            ControllerRequests.GetFamily(requests, "nlctrl");
        }
        var names = new List<string>();
        int done = connection.ExecuteBatch(requests, i => ("resolve", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), new NetlinkBatchOptions { MaxRequestsPerSend = 100 }, message => names.Add(GenericNetlinkResolver.Parse(message).Name));
        Assert.Equal(1000, done);
        Assert.Equal(1000, names.Count);
    }

    [Fact]
    public void Batch_ErrorsAreMatchedToTheirRequestsBySequence()
    {
        using NetlinkConnection connection = NetlinkConnection.Open(NetlinkProtocol.Generic);
        using var requests = new NetlinkBuffer();
        for (int i = 0; i < 50; i++)
        {
            ControllerRequests.GetFamily(requests, i is 17 or 33 ? "no-such-family" : "nlctrl");
        }
        NetlinkBatchException e = Assert.Throws<NetlinkBatchException>(() =>
            connection.ExecuteBatch(requests, i => ("resolve request", "#" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), new NetlinkBatchOptions { StopAtFirstError = false }));
        Assert.Equal(17, e.FailedIndex);
        Assert.Equal([17, 33], e.Errors.Select(x => x.Index));
        Assert.All(e.Errors, x => Assert.Equal(Errno.ENOENT, x.ErrorNumber));
        Assert.StartsWith("resolve request #17: No such file or directory (ENOENT)", e.Message, StringComparison.Ordinal);
        Assert.Equal(50, e.CompletedRequests);
    }

    [Fact]
    public void Batch_StopAtFirstError_SendsNothingAfterTheFailingSend()
    {
        using NetlinkConnection connection = NetlinkConnection.Open(NetlinkProtocol.Generic);
        using var requests = new NetlinkBuffer();
        for (int i = 0; i < 50; i++)
        {
            ControllerRequests.GetFamily(requests, i == 12 ? "no-such-family" : "nlctrl");
        }
        NetlinkBatchException e = Assert.Throws<NetlinkBatchException>(() =>
            connection.ExecuteBatch(requests, i => ("resolve", null), new NetlinkBatchOptions { MaxRequestsPerSend = 10 }));
        Assert.Equal(12, e.FailedIndex);
        Assert.Equal(20, e.CompletedRequests);
    }
}
