namespace ServiceProxy.Kernel;

/// <summary>
/// The kernel settings an IPVS service proxy needs, as kube-proxy's IPVS mode sets them: conntrack entries for IPVS
/// connections (so masquerading and conntrack cleanup work), dropping connections whose real server is gone instead of
/// black-holing them, expiring persistence templates of weight-0 real servers, and IPv4 forwarding; on kernels 4.1 to
/// 5.8, connection reuse mode 0; strict ARP when asked.
/// <para>
/// IPv6 forwarding (net.ipv6.conf.all.forwarding) is not set, as kube-proxy does not set it: it also turns off
/// router advertisements on every interface (accept_ra), which can take a node's own IPv6 address away; the pod
/// network that needs it sets it.
/// </para>
/// </summary>
public static class ProxySysctls
{
    /// <summary>conn_reuse_mode exists from this kernel on.</summary>
    private static readonly Version ConnReuseFirst = new(4, 1);

    /// <summary>
    /// Before this kernel, the default conn_reuse_mode 1 drops the first SYN of a connection that reuses a source port
    /// still in IPVS's table, a one-second stall per connection under load (kubernetes #70747), so kube-proxy sets 0,
    /// at a price: reused ports keep going to removed real servers (#81775). This kernel fixed the stall
    /// (torvalds/linux 35dfb013149f), so from it on the setting is left as it is (#93297).
    /// </summary>
    private static readonly Version ConnReuseFixed = new(5, 9);

    /// <summary>The settings (paths under /proc/sys) every kernel gets, with their values.</summary>
    public static IReadOnlyList<(string Name, string Value)> Required { get; } =
    [
        ("net/ipv4/vs/conntrack", "1"),
        ("net/ipv4/vs/expire_nodest_conn", "1"),
        ("net/ipv4/vs/expire_quiescent_template", "1"),
        ("net/ipv4/ip_forward", "1"),
    ];

    /// <summary>
    /// Every setting for <paramref name="options"/> on a kernel of version <paramref name="kernel"/> (null when unknown:
    /// conn_reuse_mode is then left alone), in kube-proxy's order: conntrack, conn_reuse_mode=0 on 4.1 to 5.8, the
    /// expiries, forwarding, then arp_ignore=1 and arp_announce=2 with <see cref="ProxySysctlOptions.StrictArp"/>.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> For(ProxySysctlOptions options, Version? kernel)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new List<(string Name, string Value)>(7) { Required[0] };
        if (kernel is not null && kernel >= ConnReuseFirst && kernel < ConnReuseFixed)
        {
            settings.Add(("net/ipv4/vs/conn_reuse_mode", "0"));
        }
        settings.AddRange(Required.Skip(1));
        if (options.StrictArp)
        {
            settings.Add(("net/ipv4/conf/all/arp_ignore", "1"));
            settings.Add(("net/ipv4/conf/all/arp_announce", "2"));
        }
        return settings;
    }

    /// <summary>
    /// Sets every <see cref="Required"/> setting that differs, and conn_reuse_mode on the kernels that need it; see
    /// <see cref="Apply(ProxySysctlOptions, string)"/>.
    /// </summary>
    public static IReadOnlyList<string> Apply(string procSys = "/proc/sys") => Apply(new ProxySysctlOptions(), procSys);

    /// <summary>
    /// Sets every setting of <see cref="For"/> that differs, for the kernel that <c>kernel/osrelease</c> under
    /// <paramref name="procSys"/> names, in the calling thread's network namespace (/proc/sys/net shows the namespace of
    /// whoever opens it); returns "name old -> new" for each one changed. IPVS must be loaded (its settings exist only
    /// then). Throws <see cref="IOException"/> naming the setting when one cannot be set.
    /// </summary>
    public static IReadOnlyList<string> Apply(ProxySysctlOptions options, string procSys = "/proc/sys")
    {
        ArgumentNullException.ThrowIfNull(options);
        var changed = new List<string>();
        foreach ((string name, string value) in For(options, KernelRelease.Read(procSys)))
        {
            string path = Path.Combine(procSys, name);
            try
            {
                string current = File.ReadAllText(path).Trim();
                if (current != value)
                {
                    File.WriteAllText(path, value);
                    changed.Add($"{name.Replace('/', '.')} {current} -> {value}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"cannot set {name.Replace('/', '.')} to {value} ({path}): {e.Message}: it needs CAP_NET_ADMIN (enough for /proc/sys/net as any user), /proc/sys mounted writable and IPVS loaded; or set it before ipvsd starts", e);
            }
        }
        return changed;
    }
}
