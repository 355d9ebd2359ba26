using System.Net;
using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.IpvsCore;

/// <summary>
/// The kernel behaviour behind <see cref="IpvsadmEchoes"/> and the library's own de-duplication: IPVS resumes a
/// service dump by counting through the hash table every namespace shares, so services added in another namespace
/// while ours is being read make the kernel send some of ours again. Here that is provoked on purpose: the other
/// namespace fills up right after the dump request is sent, before its first reply is read.
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
[Collection(nameof(KernelWideIpvsTable))]
public sealed class IpvsDumpEchoTests : IDisposable
{
    private readonly TestNamespace _reader = TestNamespace.Create();
    private readonly TestNamespace _other = TestNamespace.Create();

    public void Dispose()
    {
        _reader.Dispose();
        _other.Dispose();
    }

    [Fact]
    public void ServicesAddedElsewhereMidDump_AreSentTwiceByTheKernel_AndListedOnce()
    {
        var socket = NetlinkSocket.Open(NetlinkProtocol.Generic, new NetlinkSocketOptions { Namespace = _reader.Namespace });
        var transport = new InterleavingTransport(socket);
        using var client = IpvsClient.Open(new NetlinkConnection(transport));
        VirtualServiceKey[] ours = [.. Enumerable.Range(1, 3).Select(i => VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse($"198.18.0.{i}"), 80))];
        foreach (VirtualServiceKey key in ours)
        {
            client.AddService(new VirtualService(key));
        }

        using IpvsClient other = IpvsClient.Open(new IpvsClientOptions { Namespace = _other.Namespace });
        using IpvsBatch elsewhere = other.CreateBatch();
        for (int i = 0; i < 256; i++)
        {
            // 256 services spread over the kernel's 256 hash buckets: some land ahead of ours for certain.
            elsewhere.AddService(new VirtualService(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse($"198.18.1.{i}"), 80)));
        }
        transport.CountedType = client.FamilyId;
        transport.AfterNextSend = () => other.Execute(elsewhere);

        IReadOnlyList<ObservedVirtualService> listed = client.ListServices();

        Assert.True(transport.Counted > ours.Length, $"the kernel sent {transport.Counted} service entries for {ours.Length} services: no echo was provoked, so this test proved nothing");
        Assert.Equal(ours.Select(k => k.ToString()).Order(StringComparer.Ordinal), listed.Select(s => s.Key.ToString()).Order(StringComparer.Ordinal));
    }

    /// <summary>The real socket, with a pause after one send for something else to happen, counting replies of one type.
    /// The connection that owns it disposes it.</summary>
    private sealed class InterleavingTransport(NetlinkSocket socket) : INetlinkTransport
    {
        public Action? AfterNextSend { get; set; }

        public ushort CountedType { get; set; }

        public int Counted { get; private set; }

        public uint PortId => socket.PortId;

        public void Send(ReadOnlySpan<byte> datagram)
        {
            socket.Send(datagram);
            Action? after = AfterNextSend;
            AfterNextSend = null;
            after?.Invoke();
        }

        public int Receive(NetlinkBuffer buffer)
        {
            int length = socket.Receive(buffer);
            var reader = new NetlinkMessageReader(buffer.WrittenSpan);
            while (reader.TryRead(out NetlinkMessage message))
            {
                if (message.Type == CountedType)
                {
                    Counted++;
                }
            }
            return length;
        }

        public void Dispose() => socket.Dispose();
    }
}
