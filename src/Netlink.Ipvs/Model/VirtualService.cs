using System.Net.Sockets;

namespace Netlink.Ipvs;

/// <summary>
/// A virtual service's settings (the nested IPVS_CMD_ATTR_SERVICE a caller sends): where clients connect and how real
/// servers are chosen. Equality means "same settings": what the kernel adds on its own (IP_VS_SVC_F_HASHED,
/// IP_VS_SVC_F_PERSISTENT, the default netmask) is left out, so a service read back equals the one written. What the
/// kernel reports about a service (its counters) is in <see cref="ObservedVirtualService"/>.
/// </summary>
public sealed record VirtualService
{
    private const ServiceFlags KernelFlags = ServiceFlags.Hashed | ServiceFlags.Persistent;

    private readonly ServiceFlags _flags;
    private readonly PersistenceNetmask? _netmask;
    private readonly string? _persistenceEngine;

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

    /// <summary>
    /// IPVS_SVC_ATTR_FLAGS that a caller chooses: <see cref="ServiceFlags.OnePacket"/> and the scheduler flags.
    /// <see cref="ServiceFlags.Hashed"/> (the kernel's own) and <see cref="ServiceFlags.Persistent"/> (which the
    /// writer derives from <see cref="PersistenceTimeout"/>) are dropped here, so they cannot make two equal
    /// settings differ; <see cref="ObservedVirtualService.ReportedFlags"/> keeps the kernel's word.
    /// </summary>
    public ServiceFlags Flags
    {
        get => _flags;
        init => _flags = value & ~KernelFlags;
    }

    /// <summary>IPVS_SVC_ATTR_TIMEOUT: persistence in seconds; 0 means not persistent.</summary>
    public uint PersistenceTimeout { get; init; }

    /// <summary>Whether the service is persistent (IP_VS_SVC_F_PERSISTENT is sent): <see cref="PersistenceTimeout"/> is above 0.</summary>
    public bool IsPersistent => PersistenceTimeout > 0;

    /// <summary>
    /// IPVS_SVC_ATTR_NETMASK, which groups clients for persistence: an IPv4 mask for an IPv4 service, an IPv6 prefix
    /// length for an IPv6 one (a mask of the other family throws <see cref="ArgumentException"/>). Null means the
    /// kernel's default, a single address (255.255.255.255 or /128); that default given explicitly is kept as null,
    /// so it compares equal to leaving it out. It is checked against <see cref="Key"/> as it is set, so in
    /// <c>with { Key = ..., Netmask = ... }</c> name the key first; a key changed later is checked on write.
    /// </summary>
    public PersistenceNetmask? Netmask
    {
        get => _netmask;
        init
        {
            if (value is PersistenceNetmask mask)
            {
                CheckFamily(mask, Key);
            }
            _netmask = value is { IsSingleAddress: true } ? null : value;
        }
    }

    /// <summary>The netmask to send: <see cref="Netmask"/>, or the single-address default for the key's family.</summary>
    public PersistenceNetmask EffectiveNetmask => _netmask ?? PersistenceNetmask.SingleAddress(Key.Family);

    /// <summary>IPVS_SVC_ATTR_PE_NAME: persistence engine, such as "sip"; null for none (an empty name is none too).</summary>
    public string? PersistenceEngine
    {
        get => _persistenceEngine;
        init => _persistenceEngine = string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when <paramref name="mask"/> is not of <paramref name="key"/>'s family:
    /// the kernel would read an IPv4 mask as a prefix length or the reverse. Checked when the netmask is set, and
    /// again when the service is written, for a key changed afterwards with <c>with</c>.
    /// </summary>
    internal static void CheckFamily(PersistenceNetmask mask, VirtualServiceKey key)
    {
        if (mask.Family != key.Family)
        {
            string wanted = key.Family == AddressFamily.InterNetworkV6
                ? "an IPv6 service takes a prefix length (PersistenceNetmask.FromIpv6PrefixLength)"
                : "an IPv4 service takes a mask (PersistenceNetmask.FromIpv4Mask)";
            string given = mask.Family switch
            {
                AddressFamily.InterNetwork => $"IPv4 mask {mask}",
                AddressFamily.InterNetworkV6 => $"IPv6 prefix length {mask}",
                _ => "an empty netmask (default(PersistenceNetmask))",
            };
            throw new ArgumentException($"{key}: {given} does not fit: {wanted}", nameof(mask));
        }
    }
}
