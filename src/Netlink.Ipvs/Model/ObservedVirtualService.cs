namespace Netlink.Ipvs;

/// <summary>
/// A virtual service as the kernel reports it (an IPVS_CMD_NEW_SERVICE reply to IPVS_CMD_GET_SERVICE): its
/// <see cref="Settings"/>, which compare equal to the <see cref="VirtualService"/> that was written, and what the
/// kernel keeps about it on its own: counters, rates and its own view of the flags.
/// </summary>
public sealed record ObservedVirtualService
{
    /// <summary>Wraps the settings read back; the observations are set with the init properties.</summary>
    public ObservedVirtualService(VirtualService settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
    }

    /// <summary>The settings, as a caller would write them to get this service.</summary>
    public VirtualService Settings { get; init; }

    /// <summary>What identifies the service (the key of <see cref="Settings"/>).</summary>
    public VirtualServiceKey Key => Settings.Key;

    /// <summary>
    /// IPVS_SVC_ATTR_FLAGS exactly as the kernel reported them, IP_VS_SVC_F_HASHED and IP_VS_SVC_F_PERSISTENT
    /// included (ipvsadm prints "persistent" from this bit, not from the timeout).
    /// </summary>
    public ServiceFlags ReportedFlags { get; init; }

    /// <summary>Counters and rates (64-bit, IPVS_SVC_ATTR_STATS64 or widened from IPVS_SVC_ATTR_STATS); null when the reply had none.</summary>
    public IpvsStatistics? Statistics { get; init; }

    /// <summary>
    /// The counters as IPVS_SVC_ATTR_STATS reports them: connection and packet counts and rates cut to 32 bits, bytes in 64.
    /// The kernel fills it from the same counters as the 64-bit set, so it is derived here rather than decoded twice.
    /// </summary>
    public IpvsStatistics? Statistics32 => Statistics?.TruncatedTo32Bits();
}
