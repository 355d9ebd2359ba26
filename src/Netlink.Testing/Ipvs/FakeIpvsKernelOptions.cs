using Netlink.Ipvs;

namespace Netlink.Testing;

/// <summary>How a <see cref="FakeIpvsKernel"/> behaves where real kernels differ by build or configuration.</summary>
public sealed class FakeIpvsKernelOptions
{
    /// <summary>
    /// The generic netlink id the controller hands out for "IPVS" (CTRL_CMD_GETFAMILY). Real kernels assign one at
    /// module load; any value from GENL_MIN_ID (0x10) up other than the controller's own works.
    /// </summary>
    public ushort FamilyId { get; init; } = 0x23;

    /// <summary>
    /// Options for a kernel of version <paramref name="kernel"/> (as Environment.OSVersion.Version reads it on Linux),
    /// where kernels differ: the "twos" scheduler exists from 6.7 on.
    /// </summary>
    public static FakeIpvsKernelOptions ForKernel(Version kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var schedulers = new HashSet<string>(new FakeIpvsKernelOptions().Schedulers, StringComparer.Ordinal);
        if (kernel < new Version(6, 7))
        {
            schedulers.Remove("twos");
        }
        return new FakeIpvsKernelOptions { Schedulers = schedulers };
    }

    /// <summary>
    /// The scheduler modules the kernel can load (ip_vs_scheduler_get); any other name but "none" is refused with
    /// ENOENT. Debian's kernels carry all of these.
    /// </summary>
    public IReadOnlySet<string> Schedulers { get; init; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos",
    };

    /// <summary>The persistence engines the kernel can load (ip_vs_pe_getbyname); others give ENOENT.</summary>
    public IReadOnlySet<string> PersistenceEngines { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "sip" };

    /// <summary>
    /// CONFIG_HZ: the kernel keeps persistence and connection timeouts in jiffies (seconds times HZ, in 32 bits), so
    /// a persistence timeout above 2^32 / HZ seconds wraps and the timeouts are limited to INT_MAX / HZ. Debian: 250.
    /// </summary>
    public uint Hz { get; init; } = 250;

    /// <summary>The connection timeouts of a fresh namespace (TCP established, TCP FIN_WAIT, UDP), in seconds.</summary>
    public IpvsTimeouts Timeouts { get; init; } = new(900, 120, 300);

    /// <summary>IPVS_INFO_ATTR_VERSION: IP_VS_VERSION_CODE, 1.2.1 on every kernel since 2.6.</summary>
    public uint Version { get; init; } = 0x010201;

    /// <summary>IPVS_INFO_ATTR_CONN_TAB_SIZE: 1 &lt;&lt; ip_vs_conn_tab_bits (12 by default).</summary>
    public uint ConnectionTableSize { get; init; } = 4096;

    /// <summary>
    /// The largest datagram of a dump. The kernel fills a dump skb of SKB_WITH_OVERHEAD(32768) bytes once the reader
    /// has asked for that much, packing as many entries as fit and NLMSG_DONE after the last when it fits too.
    /// </summary>
    public int DumpDatagramSize { get; init; } = 32768 - 320;

    /// <summary>Network interfaces a sync daemon may be started on (name and MTU); others give ENODEV.</summary>
    public IReadOnlyDictionary<string, int> Interfaces { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal) { ["lo"] = 65536 };
}
