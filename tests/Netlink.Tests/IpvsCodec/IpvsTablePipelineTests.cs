using System.Buffers.Binary;
using System.Net;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;
using Netlink.Testing;

namespace Netlink.Tests.IpvsCodec;

/// <summary>
/// GetTable of 256 services or more dumps on one thread and decodes on another, handing chunks of raw replies across.
/// These read tables of that size from the fake kernel, with services of no, few and many real servers (more than a
/// chunk holds), and with a reply tampered with on the way: each service must come back with its own real servers, an
/// interrupted dump must not leave its first attempt behind, and a malformed reply must surface as the protocol
/// exception rather than a hang.
/// </summary>
public sealed class IpvsTablePipelineTests
{
    private const int Services = 400;

    /// <summary>Service i has i % 13 real servers; service 123 has 400 of them (about 140 KiB of replies).</summary>
    private static int RealServersOf(int service) => service == 123 ? 400 : service % 13;

    private static VirtualServiceKey Key(int service) =>
        VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, new IPAddress([198, 18, (byte)(service / 250), (byte)(service % 250 + 1)]), 80);

    private static RealServer Server(int service, int index) =>
        new(new IPAddress([198, 19, (byte)(index / 250), (byte)(index % 250 + 1)]), (ushort)(1000 + service)) { Forwarding = ForwardingMethod.Masquerade, Weight = index % 7 };

    private static FakeIpvsKernel Load()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient loader = kernel.OpenClient();
        using IpvsBatch batch = loader.CreateBatch();
        for (int i = 0; i < Services; i++)
        {
            batch.AddService(new VirtualService(Key(i)) { Scheduler = "wrr" });
            for (int j = 0; j < RealServersOf(i); j++)
            {
                batch.AddRealServer(Key(i), Server(i, j));
            }
        }
        loader.Execute(batch);
        return kernel;
    }

    private static void AssertIsTheLoadedTable(IReadOnlyList<IpvsServiceEntry> table)
    {
        Assert.Equal(Services, table.Count);
        var byKey = table.ToDictionary(entry => entry.Service.Key);
        for (int i = 0; i < Services; i++)
        {
            IpvsServiceEntry entry = byKey[Key(i)];
            Assert.Equal(Enumerable.Range(0, RealServersOf(i)).Select(j => Server(i, j)).ToHashSet(), entry.RealServers.Select(s => s.Settings).ToHashSet());
            Assert.Equal(RealServersOf(i), entry.RealServers.Count);
        }
    }

    [Fact]
    public void LargeTable_EveryServiceComesBackWithItsOwnRealServers_InTheServiceDumpsOrder()
    {
        FakeIpvsKernel kernel = Load();
        using IpvsClient client = kernel.OpenClient();
        IReadOnlyList<IpvsServiceEntry> table = client.GetTable();
        AssertIsTheLoadedTable(table);
        Assert.Equal(client.ListServices().Select(s => s.Key), table.Select(entry => entry.Service.Key));
        foreach (IpvsServiceEntry entry in table.Where((_, i) => i % 37 == 0))
        {
            Assert.Equal(client.ListRealServers(entry.Service.Key), entry.RealServers);
        }
    }

    [Theory]
    [InlineData(Services)]
    [InlineData(10)] // below the size that decodes on a second thread
    public void ReadTable_HandsOverWhatGetTableReturns_ServiceByService_InOrder(int services)
    {
        FakeIpvsKernel kernel = Load();
        using IpvsClient client = kernel.OpenClient();
        foreach (VirtualServiceKey key in Enumerable.Range(services, Services - services).Select(Key))
        {
            client.DeleteService(key);
        }
        var received = new List<IpvsServiceEntry>();
        var receiver = new Collector(received);

        client.ReadTable(receiver);

        Assert.Equal(client.GetTable().Select(e => (e.Service, Servers: string.Join(",", e.RealServers))),
            received.Select(e => (e.Service, Servers: string.Join(",", e.RealServers))));
        Assert.Equal(services, received.Count);
        Assert.Equal(0, receiver.Restarts);
    }

    [Fact]
    public void ReadTable_AReceiversException_EndsTheReadAndReachesTheCaller()
    {
        FakeIpvsKernel kernel = Load();
        using IpvsClient client = kernel.OpenClient();
        var received = new List<IpvsServiceEntry>();

        var thrown = Assert.Throws<InvalidOperationException>(() => client.ReadTable(new Collector(received, failAt: 300)));

        Assert.Equal("stop at 300", thrown.Message);
        Assert.Equal(300, received.Count);
        Assert.Equal(Services, client.GetTable().Count); // the client is still usable
    }

    private sealed class Collector(List<IpvsServiceEntry> received, int failAt = -1) : IDumpReceiver<IpvsServiceEntry>
    {
        public int Restarts { get; private set; }

        public void OnItem(IpvsServiceEntry item)
        {
            if (received.Count == failAt)
            {
                throw new InvalidOperationException($"stop at {failAt}");
            }
            received.Add(item);
        }

        public void OnRestart() => Restarts++;
    }

    [Fact]
    public void ARealServerDumpInterruptedMidTable_IsReadAgain_NotTwice()
    {
        FakeIpvsKernel kernel = Load();
        var transport = new TamperingTransport(kernel.OpenSocket(), dumpToTamper: 200, TamperingTransport.MarkInterrupted);
        using IpvsClient client = IpvsClient.Open(new NetlinkConnection(transport));
        AssertIsTheLoadedTable(client.GetTable());
        Assert.True(transport.Tampered);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(123)]
    [InlineData(399)]
    public void AMalformedRealServerReplyMidTable_ThrowsTheProtocolException(int dump)
    {
        FakeIpvsKernel kernel = Load();
        var transport = new TamperingTransport(kernel.OpenSocket(), dump, TamperingTransport.StretchFirstAttribute);
        using IpvsClient client = IpvsClient.Open(new NetlinkConnection(transport));
        Assert.Throws<NetlinkProtocolException>(() => client.GetTable());
        Assert.True(transport.Tampered);
    }

    /// <summary>
    /// Passes datagrams through, but changes the first reply datagram to the <c>dumpToTamper</c>-th GET_DEST dump
    /// request that holds real servers (counting from 1).
    /// </summary>
    private sealed class TamperingTransport(FakeIpvsSocket inner, int dumpToTamper, Action<byte[]> tamper) : INetlinkTransport
    {
        private int _destDumps;
        private bool _armed;

        public bool Tampered { get; private set; }

        public uint PortId => inner.PortId;

        /// <summary>Sets NLM_F_DUMP_INTR on every message of the datagram.</summary>
        public static void MarkInterrupted(byte[] datagram)
        {
            for (int at = 0; at < datagram.Length; at += NetlinkWriter.Align((int)BinaryPrimitives.ReadUInt32LittleEndian(datagram.AsSpan(at))))
            {
                ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(datagram.AsSpan(at + 6));
                BinaryPrimitives.WriteUInt16LittleEndian(datagram.AsSpan(at + 6), (ushort)(flags | (ushort)NetlinkMessageFlags.DumpInterrupted));
            }
        }

        /// <summary>Makes the first message's IPVS_CMD_ATTR_DEST claim more bytes than its message holds.</summary>
        public static void StretchFirstAttribute(byte[] datagram) =>
            BinaryPrimitives.WriteUInt16LittleEndian(datagram.AsSpan(NetlinkWriter.MessageHeaderSize + 4), 0xFFF0);

        public void Send(ReadOnlySpan<byte> datagram)
        {
            // nlmsg_type is the IPVS family; the generic header's command follows the 16-byte netlink header.
            if (datagram[NetlinkWriter.MessageHeaderSize] == IpvsConstants.CmdGetDest && !Tampered)
            {
                _destDumps++;
                _armed = _destDumps >= dumpToTamper;
            }
            inner.Send(datagram);
        }

        public int Receive(NetlinkBuffer buffer)
        {
            int length = inner.Receive(buffer);
            if (_armed && BinaryPrimitives.ReadUInt16LittleEndian(buffer.WrittenSpan[4..]) != NetlinkMessageType.Done)
            {
                byte[] datagram = buffer.WrittenSpan.ToArray();
                tamper(datagram);
                buffer.SetReceived(datagram);
                _armed = false;
                Tampered = true;
            }
            return length;
        }

        public void Dispose() => inner.Dispose();
    }
}
