using Netlink.Ipvs;

namespace ServiceProxy.Model;

/// <summary>The words of the model and the kernel values they stand for, both ways.</summary>
public static class ModelNames
{
    /// <summary>The kernel's schedulers (net/netfilter/ipvs/ip_vs_*.c).</summary>
    internal static readonly string[] Schedulers = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos"];

    /// <summary>The names of the kernel's IPVS schedulers (IPVS_SVC_ATTR_SCHED_NAME), for checking a configured one.</summary>
    public static IReadOnlyList<string> KnownSchedulers => Schedulers;

    /// <summary>aschmidt75/ipvsctl's default when neither the service nor defaults name one (ipvsadm's is wlc).</summary>
    internal const string DefaultScheduler = "rr";

    /// <summary>Persistence engines the kernel has.</summary>
    internal static readonly string[] PersistenceEngines = ["sip"];

    internal static readonly (string Name, ForwardingMethod Method)[] Forwards =
    [
        ("nat", ForwardingMethod.Masquerade),
        ("direct", ForwardingMethod.DirectRouting),
        ("tunnel", ForwardingMethod.Tunnel),
        ("local", ForwardingMethod.Local),
        ("bypass", ForwardingMethod.Bypass),
    ];

    internal static readonly (string Name, TunnelType Type)[] TunnelTypes =
    [
        ("ipip", TunnelType.IpIp),
        ("gue", TunnelType.Gue),
        ("gre", TunnelType.Gre),
    ];

    internal static readonly (string Name, TunnelFlags Flags)[] TunnelChecksums =
    [
        ("nocsum", TunnelFlags.None),
        ("csum", TunnelFlags.Checksum),
        ("remcsum", TunnelFlags.RemoteChecksum),
    ];

    /// <summary>
    /// Service flags as ipvsadm -b and -o name them. sh-* and mh-* share bits with flag-1 and flag-2, so get prints
    /// the scheduler's own names for sh and mh services and flag-N for others.
    /// </summary>
    internal static readonly (string Name, ServiceFlags Flag, string? Scheduler)[] Flags =
    [
        ("sh-fallback", ServiceFlags.SourceHashFallback, "sh"),
        ("sh-port", ServiceFlags.SourceHashPort, "sh"),
        ("mh-fallback", ServiceFlags.MaglevHashFallback, "mh"),
        ("mh-port", ServiceFlags.MaglevHashPort, "mh"),
        ("flag-1", ServiceFlags.SchedulerFlag1, null),
        ("flag-2", ServiceFlags.SchedulerFlag2, null),
        ("flag-3", ServiceFlags.SchedulerFlag3, null),
        ("one-packet", ServiceFlags.OnePacket, null),
    ];

    /// <summary>The model's word for a forwarding method ("nat", "direct", ...).</summary>
    public static string Forward(ForwardingMethod method) =>
        Array.Find(Forwards, f => f.Method == method).Name ?? ((uint)method).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The model's word for a tunnel type ("ipip", "gue", "gre").</summary>
    public static string Tunnel(TunnelType type) => Array.Find(TunnelTypes, t => t.Type == type).Name ?? "ipip";

    /// <summary>The model's word for a tunnel's checksum flags ("nocsum", "csum", "remcsum").</summary>
    public static string Checksum(TunnelFlags flags) =>
        (flags & TunnelFlags.RemoteChecksum) != 0 ? "remcsum" : (flags & TunnelFlags.Checksum) != 0 ? "csum" : "nocsum";

    /// <summary>The flag names get prints for <paramref name="flags"/> on a service scheduled by <paramref name="scheduler"/>.</summary>
    public static IReadOnlyList<string> FlagNames(ServiceFlags flags, string scheduler)
    {
        string prefix = scheduler is "sh" or "mh" ? scheduler : "flag";
        var names = new List<string>();
        if ((flags & ServiceFlags.SchedulerFlag1) != 0)
        {
            names.Add(prefix == "flag" ? "flag-1" : prefix + "-fallback");
        }
        if ((flags & ServiceFlags.SchedulerFlag2) != 0)
        {
            names.Add(prefix == "flag" ? "flag-2" : prefix + "-port");
        }
        if ((flags & ServiceFlags.SchedulerFlag3) != 0)
        {
            names.Add("flag-3");
        }
        if ((flags & ServiceFlags.OnePacket) != 0)
        {
            names.Add("one-packet");
        }
        return names;
    }
}
