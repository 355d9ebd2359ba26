using System.Net;

namespace Netlink.Route;

/// <summary>An address on an interface as RTM_GETADDR reports it (struct ifaddrmsg and its IFA_* attributes).</summary>
/// <param name="InterfaceIndex">ifa_index.</param>
/// <param name="Address">IFA_LOCAL for IPv4 (the interface's own address), IFA_ADDRESS for IPv6.</param>
/// <param name="PrefixLength">ifa_prefixlen.</param>
/// <param name="Label">IFA_LABEL (IPv4 only), usually the interface name.</param>
/// <param name="Flags">IFA_FLAGS, or ifa_flags when absent: IFA_F_PERMANENT, IFA_F_NODAD, ...</param>
/// <param name="Scope">ifa_scope: 0 universe, 253 link, 254 host.</param>
public sealed record InterfaceAddress(int InterfaceIndex, IPAddress Address, int PrefixLength, string? Label, uint Flags, byte Scope);
