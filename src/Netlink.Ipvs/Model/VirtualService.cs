using System.Net.Sockets;

namespace Netlink.Ipvs;

/// <summary>
/// A virtual service (the nested IPVS_CMD_ATTR_SERVICE): where clients connect, how real servers are chosen,
/// and, when read from the kernel, its counters.
/// </summary>
public sealed record VirtualService
{
    /// <summary>Creates a service with ipvsadm's defaults: scheduler wlc, no persistence.</summary>
    public VirtualService(VirtualServiceKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
    }

    /// <summary>What identifies the service.</summary>
    public VirtualServiceKey Key { get; init; }

    /// <summary>IPVS_SVC_ATTR_SCHED_NAME: rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh twos, or any the kernel adds.</summary>
    public string Scheduler { get; init; } = "wlc";

    /// <summary>IPVS_SVC_ATTR_FLAGS. <see cref="ServiceFlags.Persistent"/> follows <see cref="PersistenceTimeout"/> on write.</summary>
    public ServiceFlags Flags { get; init; }

    /// <summary>IPVS_SVC_ATTR_TIMEOUT: persistence in seconds; 0 means not persistent.</summary>
    public uint PersistenceTimeout { get; init; }

    /// <summary>
    /// IPVS_SVC_ATTR_NETMASK, which groups clients for persistence. For IPv4 the mask as a number
    /// (0xFFFFFF00 is 255.255.255.0; 0 is 0.0.0.0, every client in one group, as `ipvsadm -M 0.0.0.0` sets it);
    /// for IPv6 a prefix length (1..128). Null means the default: a single address (255.255.255.255 or 128).
    /// </summary>
    public uint? Netmask { get; init; }

    /// <summary>IPVS_SVC_ATTR_PE_NAME: persistence engine, such as "sip"; null for none.</summary>
    public string? PersistenceEngine { get; init; }

    /// <summary>Counters and rates (64-bit, IPVS_SVC_ATTR_STATS64 or widened from STATS); null until read from the kernel.</summary>
    public IpvsStatistics? Statistics { get; init; }

    /// <summary>
    /// The counters as IPVS_SVC_ATTR_STATS reports them: connection and packet counts and rates cut to 32 bits, bytes in 64.
    /// The kernel fills it from the same counters as the 64-bit set, so it is derived here rather than decoded twice.
    /// </summary>
    public IpvsStatistics? Statistics32 => Statistics?.TruncatedTo32Bits();

    /// <summary>The netmask to send: <see cref="Netmask"/>, or the single-address default for the family.</summary>
    public uint EffectiveNetmask => Netmask ?? (Key.Family == AddressFamily.InterNetworkV6 ? 128u : 0xFFFFFFFFu);

    /// <summary>An IPv4 netmask number from a prefix length (24 gives 0xFFFFFF00).</summary>
    public static uint Ipv4Netmask(int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        return prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);
    }

    /// <summary>Whether two services have the same settings, ignoring counters (what an in-place edit would change).</summary>
    public bool SettingsEqual(VirtualService other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Key == other.Key && string.Equals(Scheduler, other.Scheduler, StringComparison.Ordinal)
            && (Flags & ~ServiceFlags.Hashed) == (other.Flags & ~ServiceFlags.Hashed)
            && PersistenceTimeout == other.PersistenceTimeout && EffectiveNetmask == other.EffectiveNetmask
            && string.Equals(PersistenceEngine ?? string.Empty, other.PersistenceEngine ?? string.Empty, StringComparison.Ordinal);
    }
}
