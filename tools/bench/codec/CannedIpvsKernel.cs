using System.Buffers.Binary;
using Netlink;
using Netlink.Generic;
using Netlink.Ipvs.Codec;
using Netlink.Testing;

namespace CodecBench;

/// <summary>
/// Stands in for the kernel in <see cref="TableReadBenchmarks"/>: "IPVS" is resolved by a <see cref="FakeIpvsKernel"/>,
/// then GET_SERVICE and GET_DEST dumps are answered with datagrams prepared once (<see cref="KernelLayoutReplies"/>),
/// packed as the kernel packs them for a 7872-byte receive buffer (each service's real servers, then NLMSG_DONE on its
/// own), so that a run measures the library's work and, of the stand-in's, a copy per datagram.
/// </summary>
internal sealed class CannedIpvsKernel : INetlinkTransport
{
    private const int DatagramSize = 8192 - 320;

    private readonly FakeIpvsSocket _resolver;
    private readonly List<byte[]> _serviceDump = [];
    private readonly Dictionary<uint, byte[]> _destDumps = [];
    private readonly byte[] _done;
    private readonly Queue<byte[]> _pending = new();

    public CannedIpvsKernel(int services, int realServersPerService)
    {
        var kernel = new FakeIpvsKernel();
        _resolver = kernel.OpenSocket();
        ushort family = kernel.FamilyId;
        var datagram = new List<byte>();
        for (int i = 0; i < services; i++)
        {
            byte[] entry = KernelLayoutReplies.Service(family, PortId, i);
            if (datagram.Count + entry.Length > DatagramSize)
            {
                _serviceDump.Add([.. datagram]);
                datagram.Clear();
            }
            datagram.AddRange(entry);
            _destDumps[BinaryPrimitives.ReadUInt32LittleEndian(KernelLayoutReplies.Address(i, 18))] =
                [.. Enumerable.Range(0, realServersPerService).SelectMany(j => KernelLayoutReplies.Dest(family, PortId, i, j))];
        }
        _serviceDump.Add([.. datagram]);
        _done = KernelReplies.Message(NetlinkMessageType.Done, NetlinkMessageFlags.Multi, 0, PortId, [0, 0, 0, 0]);
        _serviceDump.Add(_done);
    }

    public uint PortId => _resolver.PortId;

    public void Send(ReadOnlySpan<byte> datagram)
    {
        if (BinaryPrimitives.ReadUInt16LittleEndian(datagram[4..]) == GenericNetlinkResolver.ControllerId)
        {
            _resolver.Send(datagram);
            return;
        }
        uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(datagram[8..]);
        var request = new NetlinkMessageReader(datagram);
        request.TryRead(out NetlinkMessage message);
        if (message.GenericCommand == IpvsConstants.CmdGetService)
        {
            _serviceDump.ForEach(d => Enqueue(d, sequence));
            return;
        }
        foreach (NetlinkAttribute top in message.GenericAttributes)
        {
            foreach (NetlinkAttribute field in top.GetNested())
            {
                if (field.Type == IpvsConstants.SvcAttrAddr && _destDumps.TryGetValue(BinaryPrimitives.ReadUInt32LittleEndian(field.Payload), out byte[]? dests))
                {
                    Enqueue(dests, sequence);
                }
            }
        }
        Enqueue(_done, sequence);
    }

    private void Enqueue(byte[] datagram, uint sequence)
    {
        for (int at = 0; at < datagram.Length; at += NetlinkWriter.Align((int)BinaryPrimitives.ReadUInt32LittleEndian(datagram.AsSpan(at))))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(datagram.AsSpan(at + 8), sequence);
        }
        _pending.Enqueue(datagram);
    }

    public int Receive(NetlinkBuffer buffer)
    {
        if (!_pending.TryDequeue(out byte[]? datagram))
        {
            return _resolver.Receive(buffer);
        }
        buffer.SetReceived(datagram);
        return datagram.Length;
    }

    public void Dispose() => _resolver.Dispose();
}
