using System.Net;
using System.Runtime.CompilerServices;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;
using Netlink.Testing;
using Netlink.Tests.Core;

namespace Netlink.Tests.IpvsCodec;

/// <summary>IpvsClient against a scripted kernel: family resolution, errors named, permission explained.</summary>
public sealed class IpvsClientFakeKernelTests
{
    private const ushort Family = 35;
    private static readonly VirtualServiceKey Web = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80);

    private static IpvsClient ClientAnswering(Func<SentMessage, byte[]> ipvs) =>
        IpvsClient.Open(new NetlinkConnection(new ScriptedTransport(sent => sent.Select(m => m.Type == Generic.GenericNetlinkResolver.ControllerId
            ? KernelReplies.Datagram(
                KernelReplies.Reply(m, Generic.GenericNetlinkResolver.ControllerId, KernelReplies.GenericPayload(1, 2,
                    KernelReplies.AttrU16(1, Family), KernelReplies.AttrString(2, "IPVS"))),
                KernelReplies.Ack(m))
            : ipvs(m)))));

    /// <summary>A kernel whose first real-server dump is marked NLM_F_DUMP_INTR and whose second is whole; counts the dumps.</summary>
    private static IpvsClient InterruptedOnce(StrongBox<int> dumps)
    {
        byte[] dest = Convert.FromHexString(IpvsReplyDecodeTests.RecordedDest);
        return ClientAnswering(m => ++dumps.Value == 1
            ? KernelReplies.Datagram(
                KernelReplies.DumpEntry(m, Family, dest, NetlinkMessageFlags.DumpInterrupted),
                KernelReplies.Done(m, extra: NetlinkMessageFlags.DumpInterrupted))
            : KernelReplies.Datagram(KernelReplies.DumpEntry(m, Family, dest), KernelReplies.Done(m)));
    }

    [Fact]
    public void ResolvesTheFamily_ThenSendsItsRequestsWithIt()
    {
        var seen = new List<SentMessage>();
        using IpvsClient client = ClientAnswering(m => { seen.Add(m); return KernelReplies.Ack(m); });
        Assert.Equal(Family, client.FamilyId);
        client.AddService(new VirtualService(Web));
        SentMessage add = Assert.Single(seen);
        Assert.Equal(Family, add.Type);
        Assert.Equal(IpvsConstants.CmdNewService, add.GenericCommand);
        Assert.True(add.Has(NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack));
    }

    [Fact]
    public void MissingFamily_WithoutModuleLoading_SaysTheKernelHasNoIpvs()
    {
        var transport = new ScriptedTransport(sent => sent.Select(m => KernelReplies.Error(m, Errno.ENOENT)));
        IpvsUnavailableException e = Assert.Throws<IpvsUnavailableException>(() => IpvsClient.Open(new NetlinkConnection(transport)));
        Assert.Contains("this kernel has no IPVS", e.Message, StringComparison.Ordinal);
        Assert.Contains("CONFIG_IP_VS", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Eperm_IsExplainedAsMissingCapNetAdmin()
    {
        using IpvsClient client = ClientAnswering(m => KernelReplies.Error(m, Errno.EPERM));
        NetlinkException e = Assert.Throws<NetlinkException>(() => client.ListServices());
        Assert.Equal(Errno.EPERM, e.ErrorNumber);
        Assert.Equal("list virtual services: Operation not permitted (EPERM). IPVS needs CAP_NET_ADMIN, for reads too: run as root or grant the capability", e.Message);
    }

    [Fact]
    public void KernelText_AndTheObject_AreInTheError()
    {
        using IpvsClient client = ClientAnswering(m => KernelReplies.Error(m, Errno.EINVAL, "address not unicast"));
        NetlinkException e = Assert.Throws<NetlinkException>(() =>
            client.AddRealServer(Web, new RealServer(IPAddress.Parse("198.19.0.1"), 80) { Forwarding = ForwardingMethod.Masquerade }));
        Assert.Equal("add real server 198.19.0.1:80 to TCP 198.18.0.1:80: Invalid argument (EINVAL): address not unicast", e.Message);
        Assert.Equal("address not unicast", e.KernelMessage);
    }

    [Fact]
    public void BatchError_NamesTheFailingRealServer()
    {
        int index = 0;
        using IpvsClient client = ClientAnswering(m => index++ == 2 ? KernelReplies.Error(m, Errno.EEXIST) : m.Has(NetlinkMessageFlags.Ack) ? KernelReplies.Ack(m) : []);
        using IpvsBatch batch = client.CreateBatch();
        batch.AddService(new VirtualService(Web));
        batch.AddRealServer(Web, new RealServer(IPAddress.Parse("198.19.0.1"), 80));
        batch.AddRealServer(Web, new RealServer(IPAddress.Parse("198.19.0.2"), 80));
        batch.AddRealServer(Web, new RealServer(IPAddress.Parse("198.19.0.3"), 80));
        NetlinkBatchException e = Assert.Throws<NetlinkBatchException>(() => client.Execute(batch));
        Assert.Equal(2, e.FailedIndex);
        Assert.StartsWith("add real server 198.19.0.2:80 to TCP 198.18.0.1:80: File exists (EEXIST)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABatchRequestThatFailsToEncode_LeavesTheBatchWithTheWholeRequestsBeforeIt()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient client = kernel.OpenClient();
        using IpvsBatch batch = client.CreateBatch();
        batch.AddService(new VirtualService(Web));
        int length = batch.Buffer.Length;

        Assert.ThrowsAny<ArgumentException>(() => batch.AddService(new VirtualService(Web) { Scheduler = new string('w', 40) }));

        Assert.Equal(length, batch.Buffer.Length);
        Assert.Equal(1, batch.Count);
        client.Execute(batch);
        Assert.Equal(1, kernel.ServiceCount);
    }

    [Fact]
    public void ListServices_DropsAServiceTheKernelRepeats()
    {
        // The kernel repeats an entry when another namespace adds a service between two datagrams of the dump.
        byte[] service = Convert.FromHexString(IpvsReplyDecodeTests.RecordedService);
        using IpvsClient client = ClientAnswering(m => KernelReplies.Datagram(
            KernelReplies.DumpEntry(m, Family, service),
            KernelReplies.DumpEntry(m, Family, service),
            KernelReplies.Done(m)));
        ObservedVirtualService listed = Assert.Single(client.ListServices());
        Assert.Equal(IPAddress.Parse("198.18.0.1"), listed.Key.Address);
    }

    [Fact]
    public void ListRealServers_OfAService_DecodesTheDump()
    {
        using IpvsClient client = ClientAnswering(m => KernelReplies.Datagram(
            KernelReplies.DumpEntry(m, Family, Convert.FromHexString(IpvsReplyDecodeTests.RecordedDest)),
            KernelReplies.Done(m)));
        ObservedRealServer server = Assert.Single(client.ListRealServers(Web));
        Assert.Equal(IPAddress.Parse("198.19.0.2"), server.Settings.Address);
    }

    [Fact]
    public void ListRealServers_WhenTheKernelInterruptsTheDump_TellsTheStreamingCallerInsteadOfRepeating()
    {
        var dumps = new StrongBox<int>();
        using IpvsClient client = InterruptedOnce(dumps);
        var events = new EventLog();
        client.ListRealServers(Web, events);
        Assert.Equal(2, dumps.Value);
        Assert.Equal(["198.19.0.2:8080", "restart", "198.19.0.2:8080"], events.Events);
    }

    [Fact]
    public void ListRealServers_Collected_KeepsOnlyTheDumpAfterTheInterruption()
    {
        var dumps = new StrongBox<int>();
        using IpvsClient client = InterruptedOnce(dumps);
        ObservedRealServer server = Assert.Single(client.ListRealServers(Web));
        Assert.Equal(IPAddress.Parse("198.19.0.2"), server.Settings.Address);
        Assert.Equal(2, dumps.Value);
    }

    private sealed class EventLog : IDumpReceiver<ObservedRealServer>
    {
        public List<string> Events { get; } = [];

        public void OnItem(ObservedRealServer item) => Events.Add(item.Endpoint);

        public void OnRestart() => Events.Add("restart");
    }
}
