using System.Buffers.Binary;
using System.Text;
using static Netlink.Ipvs.Codec.IpvsConstants;

namespace Netlink.Testing;

/// <summary>The nested IPVS_CMD_ATTR_SERVICE of a request, as ip_vs_genl_parse_service reads it.</summary>
internal struct ServiceRequest
{
    public ServiceId Id;
    public ushort Family;
    public ushort Protocol;
    public UInt128 Address;
    public ushort Port;
    public uint FirewallMark;
    public string Scheduler;
    public string? PersistenceEngine;
    public uint Flags;
    public uint FlagsMask;
    public uint Timeout;
    public uint NetmaskRaw;
}

/// <summary>The nested IPVS_CMD_ATTR_DEST of a request, as ip_vs_genl_parse_dest reads it (ip_vs_dest_user_kern).</summary>
internal struct DestinationRequest
{
    public ushort Family;
    public UInt128 Address;
    public ushort Port;
    public uint Forwarding;
    public int Weight;
    public uint UpperThreshold;
    public uint LowerThreshold;
    public byte TunnelType;
    public ushort TunnelPort;
    public ushort TunnelFlags;
}

/// <summary>Reads request attributes with the kernel's answers to what is missing or malformed.</summary>
internal static class IpvsRequests
{
    /// <summary>
    /// ip_vs_genl_parse_service: EINVAL without the nest, without AF and either FWMARK or PROTOCOL+ADDR+PORT, or
    /// (for a full entry: NEW/SET_SERVICE) without SCHED_NAME, FLAGS, TIMEOUT and NETMASK; EAFNOSUPPORT for a
    /// family other than AF_INET and AF_INET6 (ip_vs_is_af_valid). A malformed attribute fails the policy: EINVAL.
    /// </summary>
    public static int ParseService(ReadOnlySpan<byte> nest, bool present, bool full, out ServiceRequest request)
    {
        request = default;
        request.Scheduler = string.Empty;
        if (!present)
        {
            return Errno.EINVAL;
        }
        ushort? af = null, protocol = null, port = null;
        uint? mark = null, timeout = null, netmask = null;
        UInt128? address = null;
        string? scheduler = null, engine = null;
        uint flags = 0, mask = 0;
        bool hasFlags = false;
        Span<byte> raw = stackalloc byte[8];
        try
        {
            foreach (NetlinkAttribute a in new NetlinkAttributeReader(nest))
            {
                switch (a.Type)
                {
                    case SvcAttrAf: af = a.GetUInt16(); break;
                    case SvcAttrProtocol: protocol = a.GetUInt16(); break;
                    case SvcAttrAddr: address = ReadAddress(a.Payload); break;
                    case SvcAttrPort: port = a.GetUInt16BigEndian(); break;
                    case SvcAttrFwmark: mark = a.GetUInt32(); break;
                    case SvcAttrSchedName: scheduler = ReadName(a.Payload, NameMaxLength - 1); break;
                    case SvcAttrPeName: engine = ReadName(a.Payload, NameMaxLength); break;
                    case SvcAttrFlags:
                        raw.Clear();
                        a.Payload[..Math.Min(8, a.Payload.Length)].CopyTo(raw);
                        flags = BinaryPrimitives.ReadUInt32LittleEndian(raw);
                        mask = BinaryPrimitives.ReadUInt32LittleEndian(raw[4..]);
                        hasFlags = a.Payload.Length <= 8 ? true : throw new NetlinkProtocolException("flags too long");
                        break;
                    case SvcAttrTimeout: timeout = a.GetUInt32(); break;
                    case SvcAttrNetmask: netmask = a.GetUInt32(); break;
                    default: break;
                }
            }
        }
        catch (NetlinkProtocolException)
        {
            return Errno.EINVAL;
        }
        if (af is null || (mark is null && (port is null || protocol is null || address is null)))
        {
            return Errno.EINVAL;
        }
        if (af is not (LinuxAddressFamily.Inet or LinuxAddressFamily.Inet6))
        {
            return Errno.EAFNOSUPPORT;
        }
        request.Family = af.Value;
        if (mark is uint m)
        {
            // A mark service is looked up and stored with protocol TCP and no address (ip_vs_genl_parse_service).
            request.Protocol = 6;
            request.FirewallMark = m;
        }
        else
        {
            request.Protocol = protocol!.Value;
            request.Address = Normalize(af.Value, address!.Value);
            request.Port = port!.Value;
        }
        request.Id = ServiceId.Of(request.Family, request.Protocol, request.Address, request.Port, request.FirewallMark);
        if (full)
        {
            if (scheduler is null || !hasFlags || timeout is null || netmask is null)
            {
                return Errno.EINVAL;
            }
            request.Scheduler = scheduler;
            request.PersistenceEngine = engine;
            request.Flags = flags;
            request.FlagsMask = mask;
            request.Timeout = timeout.Value;
            request.NetmaskRaw = netmask.Value;
        }
        return 0;
    }

    /// <summary>
    /// ip_vs_genl_parse_dest: EINVAL without the nest or without ADDR and PORT, or (for NEW/SET_DEST) without
    /// FWD_METHOD, WEIGHT, U_THRESH and L_THRESH. ADDR_FAMILY is optional (0 means the service's).
    /// </summary>
    public static int ParseDestination(ReadOnlySpan<byte> nest, bool present, bool full, out DestinationRequest request)
    {
        request = default;
        if (!present)
        {
            return Errno.EINVAL;
        }
        UInt128? address = null;
        ushort? port = null;
        uint? forwarding = null, weight = null, upper = null, lower = null;
        try
        {
            foreach (NetlinkAttribute a in new NetlinkAttributeReader(nest))
            {
                switch (a.Type)
                {
                    case DestAttrAddr: address = ReadAddress(a.Payload); break;
                    case DestAttrPort: port = a.GetUInt16BigEndian(); break;
                    case DestAttrAddrFamily: request.Family = a.GetUInt16(); break;
                    case DestAttrFwdMethod: forwarding = a.GetUInt32(); break;
                    case DestAttrWeight: weight = a.GetUInt32(); break;
                    case DestAttrUThresh: upper = a.GetUInt32(); break;
                    case DestAttrLThresh: lower = a.GetUInt32(); break;
                    case DestAttrTunType: request.TunnelType = a.GetByte(); break;
                    case DestAttrTunPort: request.TunnelPort = a.GetUInt16BigEndian(); break;
                    case DestAttrTunFlags: request.TunnelFlags = a.GetUInt16(); break;
                    default: break;
                }
            }
        }
        catch (NetlinkProtocolException)
        {
            return Errno.EINVAL;
        }
        if (address is null || port is null)
        {
            return Errno.EINVAL;
        }
        request.Address = address.Value;
        request.Port = port.Value;
        if (full)
        {
            if (forwarding is null || weight is null || upper is null || lower is null)
            {
                return Errno.EINVAL;
            }
            request.Forwarding = forwarding.Value & ForwardMask;
            // ip_vs_dest_user_kern.weight is an int: a u32 above INT_MAX arrives negative.
            request.Weight = unchecked((int)weight.Value);
            request.UpperThreshold = upper.Value;
            request.LowerThreshold = lower.Value;
        }
        else
        {
            request.TunnelType = 0;
            request.TunnelPort = 0;
            request.TunnelFlags = 0;
        }
        return 0;
    }

    /// <summary>Keeps the bytes ip_vs_addr_copy keeps: 4 for AF_INET, 16 for AF_INET6.</summary>
    public static UInt128 Normalize(ushort family, UInt128 address) =>
        family == LinuxAddressFamily.Inet6 ? address : address & 0xFFFF_FFFF;

    /// <summary>NLA_BINARY of at most 16 bytes, copied with nla_memcpy (a shorter one is zero-filled).</summary>
    private static UInt128 ReadAddress(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > AddressSize)
        {
            throw new NetlinkProtocolException("address longer than union nf_inet_addr");
        }
        Span<byte> bytes = stackalloc byte[AddressSize];
        bytes.Clear();
        payload.CopyTo(bytes);
        return BinaryPrimitives.ReadUInt128LittleEndian(bytes);
    }

    /// <summary>NLA_NUL_STRING: a NUL within the first <paramref name="maxLength"/> + 1 bytes, else EINVAL.</summary>
    private static string ReadName(ReadOnlySpan<byte> payload, int maxLength)
    {
        int nul = payload[..Math.Min(payload.Length, maxLength + 1)].IndexOf((byte)0);
        if (nul < 0)
        {
            throw new NetlinkProtocolException("string without NUL within its limit");
        }
        return Encoding.UTF8.GetString(payload[..nul]);
    }
}
