namespace ServiceProxy.Kernel;

/// <summary>
/// The kernel settings an IPVS service proxy needs, as kube-proxy sets them: conntrack entries for IPVS connections
/// (so masquerading and conntrack cleanup work), dropping connections whose real server is gone instead of
/// black-holing them, expiring persistence templates of weight-0 real servers, and forwarding.
/// </summary>
public static class ProxySysctls
{
    /// <summary>Each setting (a path under /proc/sys) with the value it needs.</summary>
    public static IReadOnlyList<(string Name, string Value)> Required { get; } =
    [
        ("net/ipv4/vs/conntrack", "1"),
        ("net/ipv4/vs/expire_nodest_conn", "1"),
        ("net/ipv4/vs/expire_quiescent_template", "1"),
        ("net/ipv4/ip_forward", "1"),
    ];

    /// <summary>
    /// Sets every <see cref="Required"/> setting that differs, in the calling thread's network namespace (/proc/sys/net
    /// shows the namespace of whoever opens it); returns "name old -> new" for each one changed. IPVS must be loaded
    /// (its settings exist only then). Throws <see cref="IOException"/> naming the setting when one cannot be set.
    /// </summary>
    public static IReadOnlyList<string> Apply(string procSys = "/proc/sys")
    {
        var changed = new List<string>();
        foreach ((string name, string value) in Required)
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
                throw new IOException($"cannot set {name.Replace('/', '.')} to {value} ({path}): {e.Message}: ipvsd needs root with CAP_NET_ADMIN, and IPVS loaded", e);
            }
        }
        return changed;
    }
}
