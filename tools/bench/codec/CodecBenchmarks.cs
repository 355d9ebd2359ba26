using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Netlink;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;

namespace CodecBench;

/// <summary>
/// Encoding and decoding one IPVS message in steady state. The encoders and the attribute walk must show
/// 0 bytes allocated; decoding into the model allocates only the objects it returns (the record and its address).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class CodecBenchmarks
{
    private const ushort FamilyId = 0x25;
    private readonly NetlinkBuffer _buffer = new(4096);
    private readonly VirtualService _service = new(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80)) { Scheduler = "wrr" };
    private readonly RealServer _server = new(IPAddress.Parse("198.19.0.1"), 8080) { Forwarding = ForwardingMethod.Masquerade, Weight = 3 };
    private byte[] _reply = [];
    private readonly byte[] _kernelReply = KernelLayoutReplies.Dest(FamilyId, 0, 0, 0);

    [GlobalSetup]
    public void Setup()
    {
        // A GET_DEST reply as the kernel sends it: a nested destination with counters.
        using var buffer = new NetlinkBuffer();
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken message = writer.BeginMessage(FamilyId, NetlinkMessageFlags.Multi, 1);
        writer.WriteGenericHeader(IpvsConstants.CmdNewDest, 1);
        NetlinkNestToken dest = writer.BeginNested(IpvsConstants.CmdAttrDest);
        writer.WriteBytes(IpvsConstants.DestAttrAddr, [198, 19, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        writer.WriteUInt16BigEndian(IpvsConstants.DestAttrPort, 8080);
        writer.WriteUInt32(IpvsConstants.DestAttrFwdMethod, 0);
        writer.WriteUInt32(IpvsConstants.DestAttrWeight, 3);
        writer.WriteUInt32(IpvsConstants.DestAttrUThresh, 0);
        writer.WriteUInt32(IpvsConstants.DestAttrLThresh, 0);
        writer.WriteUInt32(IpvsConstants.DestAttrActiveConns, 5);
        writer.WriteUInt32(IpvsConstants.DestAttrInactConns, 1);
        writer.WriteUInt32(IpvsConstants.DestAttrPersistConns, 0);
        writer.WriteUInt16(IpvsConstants.DestAttrAddrFamily, LinuxAddressFamily.Inet);
        NetlinkNestToken stats = writer.BeginNested(IpvsConstants.DestAttrStats64);
        for (ushort attr = IpvsConstants.StatsAttrConns; attr <= IpvsConstants.StatsAttrOutBps; attr++)
        {
            writer.WriteUInt64(attr, attr * 1000UL);
        }
        writer.EndNested(stats);
        writer.EndNested(dest);
        writer.EndMessage(message);
        _reply = buffer.WrittenSpan.ToArray();
    }

    [Benchmark]
    public int EncodeAddService()
    {
        _buffer.Clear();
        IpvsRequestWriter.WriteService(_buffer, FamilyId, _service, update: false);
        return _buffer.Length;
    }

    [Benchmark]
    public int EncodeAddRealServer()
    {
        _buffer.Clear();
        IpvsRequestWriter.WriteRealServer(_buffer, FamilyId, _service.Key, _server, update: false);
        return _buffer.Length;
    }

    [Benchmark]
    public ulong DecodeAttributesOnly()
    {
        ulong sum = 0;
        var reader = new NetlinkMessageReader(_reply);
        while (reader.TryRead(out NetlinkMessage message))
        {
            foreach (NetlinkAttribute top in message.GenericAttributes)
            {
                foreach (NetlinkAttribute field in top.GetNested())
                {
                    sum += field.Type == IpvsConstants.DestAttrWeight ? field.GetUInt32() : (ulong)field.Payload.Length;
                }
            }
        }
        return sum;
    }

    /// <summary>A GET_DEST reply in the kernel's own layout, which the decoder reads at fixed offsets.</summary>
    [Benchmark]
    public int DecodeKernelRealServer()
    {
        var reader = new NetlinkMessageReader(_kernelReply);
        reader.TryRead(out NetlinkMessage message);
        return IpvsReplyParser.ParseRealServerMessage(message, AddressFamily.InterNetwork).Settings.Weight;
    }

    /// <summary>The reply built in Setup, whose nests carry NLA_F_NESTED (the kernel's do not): the attribute walk.</summary>
    [Benchmark]
    public int DecodeRealServerModel()
    {
        var reader = new NetlinkMessageReader(_reply);
        reader.TryRead(out NetlinkMessage message);
        return IpvsReplyParser.ParseRealServerMessage(message, AddressFamily.InterNetwork).Settings.Weight;
    }
}
