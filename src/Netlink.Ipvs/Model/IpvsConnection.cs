using System.Net;

namespace Netlink.Ipvs;

/// <summary>
/// One entry of the IPVS connection table as /proc/net/ip_vs_conn shows it (netlink offers no dump of it).
/// </summary>
/// <param name="Protocol">"TCP", "UDP", "SCTP", or another name the kernel prints ("IP" for templates of fwmark services).</param>
/// <param name="ClientAddress">FromIP.</param>
/// <param name="ClientPort">FPrt.</param>
/// <param name="VirtualAddress">ToIP.</param>
/// <param name="VirtualPort">TPrt.</param>
/// <param name="RealServerAddress">DestIP.</param>
/// <param name="RealServerPort">DPrt.</param>
/// <param name="State">The protocol state, such as ESTABLISHED, FIN_WAIT, NONE (templates).</param>
/// <param name="ExpiresSeconds">Seconds until the entry expires.</param>
/// <param name="PersistenceEngine">PEName, when a persistence engine made the entry.</param>
/// <param name="PersistenceEngineData">PEData, when present.</param>
public sealed record IpvsConnection(
    string Protocol,
    IPAddress ClientAddress,
    ushort ClientPort,
    IPAddress VirtualAddress,
    ushort VirtualPort,
    IPAddress RealServerAddress,
    ushort RealServerPort,
    string State,
    uint ExpiresSeconds,
    string? PersistenceEngine,
    string? PersistenceEngineData);
