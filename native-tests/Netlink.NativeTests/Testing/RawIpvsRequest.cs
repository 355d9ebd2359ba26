using System.Net;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;

namespace Netlink.NativeTests.Testing;

/// <summary>
/// IPVS requests IpvsClient would never send (it checks its arguments first), built attribute by attribute so the
/// script can see how a kernel answers them. Numbers from linux/ip_vs.h.
/// </summary>
internal static class RawIpvsRequest
{
    public const byte NewService = 1, SetService = 2, DelService = 3, GetService = 4, NewDest = 5, GetDest = 8;
    public const byte NewDaemon = 9, DelDaemon = 10, SetConfig = 12, Flush = 17;
    public const ushort AttrService = 1, AttrDest = 2, AttrDaemon = 3, AttrTimeoutUdp = 6;
    public const ushort SvcAf = 1, SvcProtocol = 2, SvcAddr = 3, SvcPort = 4, SvcFwmark = 5, SvcSchedName = 6, SvcFlags = 7, SvcTimeout = 8, SvcNetmask = 9;
    public const ushort DestAddr = 1, DestPort = 2, DestFwdMethod = 3, DestWeight = 4, DestUThresh = 5, DestLThresh = 6, DestAddrFamily = 11;
    public const ushort DaemonState = 1, DaemonIfn = 2, DaemonSyncId = 3, DaemonGroup = 5;

    /// <summary>Sends one message of <paramref name="command"/> whose attributes <paramref name="body"/> writes; throws the refusal.</summary>
    public static void Send(DifferentialTarget target, byte command, Action<NetlinkWriter> body, NetlinkMessageFlags flags = NetlinkMessageFlags.None)
    {
        using var buffer = new NetlinkBuffer();
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken message = writer.BeginMessage(target.Client.FamilyId, flags, 0);
        writer.WriteGenericHeader(command, 1);
        body(writer);
        writer.EndMessage(message);
        if (target.Raw.TryExecute(buffer) is NetlinkOperationError error)
        {
            throw new NetlinkException(error.ErrorNumber, "raw request", null);
        }
    }

    /// <summary>IPVS_CMD_ATTR_SERVICE with <paramref name="fields"/> inside.</summary>
    public static void Service(NetlinkWriter writer, Action<NetlinkWriter> fields)
    {
        NetlinkNestToken nest = writer.BeginNested(AttrService);
        fields(writer);
        writer.EndNested(nest);
    }

    /// <summary>A service key as IpvsClient writes it, then nothing else.</summary>
    public static void ServiceKey(NetlinkWriter writer, VirtualServiceKey key)
    {
        using var encoded = new NetlinkBuffer();
        IpvsRequestWriter.WriteServiceKeyOnly(encoded, 0, DelService, key);
        // The nest's attributes start after the message header (16), genl header (4) and nest header (4).
        writer.WriteFixedHeader(encoded.WrittenSpan[24..]);
    }

    /// <summary>The settings a full service entry needs: scheduler, flags (value and mask), timeout, netmask.</summary>
    public static void ServiceSettings(NetlinkWriter writer, string scheduler, uint flags, uint mask, uint timeout, uint netmask)
    {
        writer.WriteString(SvcSchedName, scheduler);
        Span<byte> bytes = writer.WriteHeaderAndReserve(SvcFlags, 8);
        BitConverter.TryWriteBytes(bytes, flags);
        BitConverter.TryWriteBytes(bytes[4..], mask);
        writer.WriteUInt32(SvcTimeout, timeout);
        writer.WriteUInt32(SvcNetmask, netmask);
    }

    /// <summary>IPVS_CMD_ATTR_DEST for an IPv4 address with <paramref name="fields"/> after ADDR and PORT.</summary>
    public static void Destination(NetlinkWriter writer, string address, ushort port, Action<NetlinkWriter> fields)
    {
        NetlinkNestToken nest = writer.BeginNested(AttrDest);
        Span<byte> bytes = writer.WriteHeaderAndReserve(DestAddr, 16);
        bytes.Clear();
        IPAddress.Parse(address).TryWriteBytes(bytes, out _);
        writer.WriteUInt16BigEndian(DestPort, port);
        fields(writer);
        writer.EndNested(nest);
    }
}

/// <summary>What a step works on: the client, and a second socket on the same IPVS for raw requests.</summary>
internal sealed record DifferentialTarget(IpvsClient Client, NetlinkConnection Raw);
