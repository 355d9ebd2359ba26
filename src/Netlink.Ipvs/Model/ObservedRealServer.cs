namespace Netlink.Ipvs;

/// <summary>
/// A real server as the kernel reports it (an IPVS_CMD_NEW_DEST reply to IPVS_CMD_GET_DEST): its
/// <see cref="Settings"/>, which compare equal to the <see cref="RealServer"/> that was written, and what the kernel
/// counts for it: connections by state, counters and rates. None of these can be written.
/// </summary>
public sealed record ObservedRealServer
{
    /// <summary>Wraps the settings read back; the observations are set with the init properties.</summary>
    public ObservedRealServer(RealServer settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
    }

    /// <summary>The settings, as a caller would write them to get this real server.</summary>
    public RealServer Settings { get; init; }

    /// <summary>"198.19.0.1:8080" or "[2001:db8::2]:8080" (the endpoint of <see cref="Settings"/>).</summary>
    public string Endpoint => Settings.Endpoint;

    /// <summary>IPVS_DEST_ATTR_ACTIVE_CONNS: connections established (for TCP) and being served.</summary>
    public uint ActiveConnections { get; init; }

    /// <summary>IPVS_DEST_ATTR_INACT_CONNS: connections in any other state (closing, or UDP entries waiting to expire).</summary>
    public uint InactiveConnections { get; init; }

    /// <summary>IPVS_DEST_ATTR_PERSIST_CONNS: persistence templates pointing here.</summary>
    public uint PersistentConnections { get; init; }

    /// <summary>Counters and rates (64-bit, IPVS_DEST_ATTR_STATS64 or widened from IPVS_DEST_ATTR_STATS); null when the reply had none.</summary>
    public IpvsStatistics? Statistics { get; init; }

    /// <summary>
    /// The counters as IPVS_DEST_ATTR_STATS reports them: connection and packet counts and rates cut to 32 bits, bytes in 64.
    /// The kernel fills it from the same counters as the 64-bit set, so it is derived here rather than decoded twice.
    /// </summary>
    public IpvsStatistics? Statistics32 => Statistics?.TruncatedTo32Bits();
}
