namespace Netlink.Testing;

/// <summary>
/// What the kernel looks a service up by: (af, fwmark) in the fwmark table when the mark is not 0
/// (__ip_vs_svc_fwm_find), else (af, protocol, address, port) (__ip_vs_service_find). The address is the 16 bytes
/// of union nf_inet_addr with only the first 4 kept for IPv4, as ip_vs_addr_copy and ip_vs_addr_equal treat it.
/// </summary>
internal readonly record struct ServiceId(ushort Family, ushort Protocol, UInt128 Address, ushort Port, uint FirewallMark)
{
    public static ServiceId Of(ushort family, ushort protocol, UInt128 address, ushort port, uint mark) =>
        mark != 0 ? new(family, 0, 0, 0, mark) : new(family, protocol, address, port, 0);
}

/// <summary>What ip_vs_lookup_dest matches a real server by within its service: family, address and port.</summary>
internal readonly record struct DestinationId(ushort Family, UInt128 Address, ushort Port);
