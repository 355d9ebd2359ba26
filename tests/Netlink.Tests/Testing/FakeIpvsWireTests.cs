using System.Net;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;
using Netlink.Testing;

namespace Netlink.Tests.Testing;

/// <summary>The fake IPVS kernel on the wire: acks, errors, batches, dump datagrams, faults, raw requests.</summary>
public sealed class FakeIpvsWireTests
{
    private static readonly VirtualServiceKey Web = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80);

    /// <summary>Sends one request built by <paramref name="write"/> and returns the errno the kernel answered (0: ack).</summary>
    private static int Send(FakeIpvsKernel kernel, Action<NetlinkWriter> write, NetlinkMessageFlags flags = NetlinkMessageFlags.Ack)
    {
        using var buffer = new NetlinkBuffer();
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = writer.BeginMessage(kernel.FamilyId, NetlinkMessageFlags.Request | flags, 7);
        write(writer);
        writer.EndMessage(m);
        FakeIpvsSocket socket = kernel.OpenSocket();
        socket.Send(buffer.WrittenSpan);
        using var reply = new NetlinkBuffer();
        socket.Receive(reply);
        var reader = new NetlinkMessageReader(reply.WrittenSpan);
        Assert.True(reader.TryRead(out NetlinkMessage message));
        Assert.Equal(NetlinkMessageType.Error, message.Type);
        Assert.Equal(0, socket.Pending);
        return -BitConverter.ToInt32(message.Payload[..4]);
    }

    private static void Ipv6Service(NetlinkWriter writer, uint netmask)
    {
        writer.WriteGenericHeader(IpvsConstants.CmdNewService, 1);
        NetlinkNestToken nest = writer.BeginNested(IpvsConstants.CmdAttrService);
        writer.WriteUInt16(IpvsConstants.SvcAttrAf, LinuxAddressFamily.Inet6);
        writer.WriteUInt32(IpvsConstants.SvcAttrFwmark, 9);
        writer.WriteString(IpvsConstants.SvcAttrSchedName, "rr");
        writer.WriteBytes(IpvsConstants.SvcAttrFlags, new byte[8]);
        writer.WriteUInt32(IpvsConstants.SvcAttrTimeout, 0);
        writer.WriteUInt32(IpvsConstants.SvcAttrNetmask, netmask);
        writer.EndNested(nest);
    }

    [Fact]
    public void Ipv6Netmask_IsAPrefixLength_From1To128()
    {
        var kernel = new FakeIpvsKernel();
        Assert.Equal(Errno.EINVAL, Send(kernel, w => Ipv6Service(w, 0)));
        Assert.Equal(Errno.EINVAL, Send(kernel, w => Ipv6Service(w, 129)));
        Assert.Equal(0, Send(kernel, w => Ipv6Service(w, 128)));
        Assert.Equal(1, kernel.ServiceCount);
    }

    [Fact]
    public void WeightAboveIntMax_IsErange_AndAServiceWithoutItsFullSettingsIsEinval()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        ipvs.AddService(new VirtualService(Web));
        Assert.Equal(Errno.ERANGE, Send(kernel, w =>
        {
            using var tmp = new NetlinkBuffer();
            IpvsRequestWriter.WriteRealServer(tmp, kernel.FamilyId, Web, new RealServer(IPAddress.Parse("198.19.0.1"), 80), update: false);
            byte[] request = tmp.WrittenSpan[16..].ToArray();
            // The weight attribute follows the forwarding method; patch its u32 to 0x80000000.
            int at = request.AsSpan().IndexOf(new byte[] { 8, 0, (byte)IpvsConstants.DestAttrWeight, 0, 1, 0, 0, 0 });
            request[at + 7] = 0x80;
            w.WriteFixedHeader(request);
        }));
        Assert.Equal(Errno.EINVAL, Send(kernel, w =>
        {
            w.WriteGenericHeader(IpvsConstants.CmdNewService, 1);
            NetlinkNestToken nest = w.BeginNested(IpvsConstants.CmdAttrService);
            w.WriteUInt16(IpvsConstants.SvcAttrAf, LinuxAddressFamily.Inet);
            w.WriteUInt32(IpvsConstants.SvcAttrFwmark, 3);
            w.EndNested(nest);
        }));
        Assert.Equal(Errno.EAFNOSUPPORT, Send(kernel, w =>
        {
            w.WriteGenericHeader(IpvsConstants.CmdDelService, 1);
            NetlinkNestToken nest = w.BeginNested(IpvsConstants.CmdAttrService);
            w.WriteUInt16(IpvsConstants.SvcAttrAf, 7);
            w.WriteUInt32(IpvsConstants.SvcAttrFwmark, 3);
            w.EndNested(nest);
        }));
    }

    [Fact]
    public void UnknownCommand_AndGetDestWithoutDump_AreEopnotsupp()
    {
        var kernel = new FakeIpvsKernel();
        Assert.Equal(Errno.EOPNOTSUPP, Send(kernel, w => w.WriteGenericHeader(99, 1)));
        Assert.Equal(Errno.EOPNOTSUPP, Send(kernel, w => w.WriteGenericHeader(IpvsConstants.CmdGetDest, 1)));
        Assert.Equal(Errno.EOPNOTSUPP, Send(kernel, w => w.WriteGenericHeader(IpvsConstants.CmdFlush, 1), NetlinkMessageFlags.Dump));
    }

    [Fact]
    public void Success_WithoutAck_SendsNothing_ButAnErrorIsAlwaysSent()
    {
        var kernel = new FakeIpvsKernel();
        FakeIpvsSocket socket = kernel.OpenSocket();
        using var buffer = new NetlinkBuffer();
        IpvsRequestWriter.WriteService(buffer, kernel.FamilyId, new VirtualService(Web), update: false);
        IpvsRequestWriter.WriteService(buffer, kernel.FamilyId, new VirtualService(Web), update: false);
        socket.Send(buffer.WrittenSpan);
        Assert.Equal(1, socket.Pending); // the first added quietly; the second's EEXIST came anyway
        Assert.Equal(2, kernel.ChangeCount);
    }

    [Fact]
    public void ABatch_StopsAtTheRefusedChange_AndNamesIt()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        kernel.RefuseChange(kernel.ChangeCount + 3, Errno.ENOMEM);
        using IpvsBatch batch = ipvs.CreateBatch();
        batch.AddService(new VirtualService(Web));
        for (int i = 1; i <= 4; i++)
        {
            batch.AddRealServer(Web, new RealServer(IPAddress.Parse($"198.19.0.{i}"), 80));
        }
        NetlinkBatchException e = Assert.Throws<NetlinkBatchException>(() => ipvs.Execute(batch, new NetlinkBatchOptions { MaxRequestsPerSend = 1 }));
        Assert.Equal((Errno.ENOMEM, 2), (e.ErrorNumber, e.FailedIndex));
        Assert.StartsWith("add real server 198.19.0.2:80 to TCP 198.18.0.1:80", e.Message, StringComparison.Ordinal);
        Assert.Equal(["198.19.0.1:80"], ipvs.ListRealServers(Web).Select(s => s.Endpoint));
    }

    [Fact]
    public void AnInterruptedDump_IsRepeated_AndListedOnce()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        ipvs.AddService(new VirtualService(Web));
        kernel.InterruptNextDumps(2);
        Assert.Single(ipvs.ListServices());
        Assert.Single(ipvs.ListServices());
    }

    [Fact]
    public void DumpDatagrams_HoldManyEntries_UpToTheSize_WithDoneInTheLast()
    {
        var kernel = new FakeIpvsKernel(new FakeIpvsKernelOptions { DumpDatagramSize = 4096 });
        using IpvsClient ipvs = kernel.OpenClient();
        using IpvsBatch batch = ipvs.CreateBatch();
        for (int i = 0; i < 100; i++)
        {
            batch.AddService(new VirtualService(VirtualServiceKey.ForFirewallMark((uint)i + 1)));
        }
        ipvs.Execute(batch);
        FakeIpvsSocket socket = kernel.OpenSocket();
        using var request = new NetlinkBuffer();
        var writer = new NetlinkWriter(request);
        NetlinkMessageToken m = writer.BeginMessage(kernel.FamilyId, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, 1);
        writer.WriteGenericHeader(IpvsConstants.CmdGetService, 1);
        writer.EndMessage(m);
        socket.Send(request.WrittenSpan);
        int datagrams = socket.Pending, entries = 0, done = 0;
        using var reply = new NetlinkBuffer();
        for (int i = 0; i < datagrams; i++)
        {
            int length = socket.Receive(reply);
            Assert.InRange(length, 1, 4096);
            var reader = new NetlinkMessageReader(reply.WrittenSpan);
            while (reader.TryRead(out NetlinkMessage message))
            {
                entries += message.Type == kernel.FamilyId ? 1 : 0;
                done += message.Type == NetlinkMessageType.Done ? 1 : 0;
                Assert.True((message.Flags & NetlinkMessageFlags.Multi) != 0);
            }
        }
        Assert.Equal((100, 1), (entries, done));
        Assert.InRange(datagrams, 3, 20);
    }

    [Fact]
    public void DenyPermission_IsEperm_ForReadsToo()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        kernel.DenyPermission = true;
        Assert.Equal(Errno.EPERM, Assert.Throws<NetlinkException>(() => ipvs.ListServices()).ErrorNumber);
    }

    [Fact]
    public void ClientsOnOneKernel_ShareTheTable()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient writer = kernel.OpenClient();
        using IpvsClient reader = kernel.OpenClient();
        writer.AddService(new VirtualService(Web));
        Assert.Equal(Web, Assert.Single(reader.ListServices()).Key);
    }
}
