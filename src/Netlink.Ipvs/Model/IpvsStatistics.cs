namespace Netlink.Ipvs;

/// <summary>
/// Traffic counters and rates of a virtual service or real server (the nested IPVS_SVC_ATTR_STATS64 /
/// IPVS_DEST_ATTR_STATS64, or IPVS_*_ATTR_STATS with its 32-bit counters, IPVS_STATS_ATTR_*). Rates are per second,
/// averaged by the kernel over a few seconds. A value type: listing 100,000 real servers allocates no counters.
/// </summary>
/// <param name="Connections">IPVS_STATS_ATTR_CONNS: connections scheduled.</param>
/// <param name="IncomingPackets">IPVS_STATS_ATTR_INPKTS.</param>
/// <param name="OutgoingPackets">IPVS_STATS_ATTR_OUTPKTS.</param>
/// <param name="IncomingBytes">IPVS_STATS_ATTR_INBYTES.</param>
/// <param name="OutgoingBytes">IPVS_STATS_ATTR_OUTBYTES.</param>
/// <param name="ConnectionRate">IPVS_STATS_ATTR_CPS: connections per second.</param>
/// <param name="IncomingPacketRate">IPVS_STATS_ATTR_INPPS.</param>
/// <param name="OutgoingPacketRate">IPVS_STATS_ATTR_OUTPPS.</param>
/// <param name="IncomingByteRate">IPVS_STATS_ATTR_INBPS.</param>
/// <param name="OutgoingByteRate">IPVS_STATS_ATTR_OUTBPS.</param>
public readonly record struct IpvsStatistics(
    ulong Connections,
    ulong IncomingPackets,
    ulong OutgoingPackets,
    ulong IncomingBytes,
    ulong OutgoingBytes,
    ulong ConnectionRate,
    ulong IncomingPacketRate,
    ulong OutgoingPacketRate,
    ulong IncomingByteRate,
    ulong OutgoingByteRate)
{
    /// <summary>All zero.</summary>
    public static IpvsStatistics Zero => default;

    /// <summary>The 32-bit view of IPVS_*_ATTR_STATS: every counter but the byte counts cut to 32 bits, as the kernel does.</summary>
    public IpvsStatistics TruncatedTo32Bits() => new(
        (uint)Connections, (uint)IncomingPackets, (uint)OutgoingPackets, IncomingBytes, OutgoingBytes,
        (uint)ConnectionRate, (uint)IncomingPacketRate, (uint)OutgoingPacketRate, (uint)IncomingByteRate, (uint)OutgoingByteRate);
}
