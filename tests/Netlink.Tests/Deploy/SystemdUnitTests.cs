namespace Netlink.Tests.Deploy;

/// <summary>
/// deploy/systemd/ipvsd.service runs ipvsd with least privilege: its own user, CAP_NET_ADMIN as the only capability
/// (ambient, so a non-root user holds it, and the whole bounding set), a private state directory, a read-only system.
/// </summary>
public sealed class SystemdUnitTests
{
    private static readonly string Directory = Path.Combine(Repository.Root, "deploy", "systemd");

    private static readonly Dictionary<string, string> Service = Section("Service");

    [Fact]
    public void RunsAsItsOwnUser_NotRoot_TheOneSysusersCreates()
    {
        Assert.Equal("ipvsd", Service["User"]);
        Assert.Equal("ipvsd", Service["Group"]);
        Assert.False(Service.ContainsKey("DynamicUser")); // the ownership record must keep one owner across restarts
        string user = Assert.Single(File.ReadLines(Path.Combine(Directory, "ipvsd.sysusers")), l => l.StartsWith("u ", StringComparison.Ordinal));
        Assert.StartsWith("u ipvsd - ", user, StringComparison.Ordinal);
    }

    [Fact]
    public void HoldsCapNetAdminAlone_AsAnAmbientCapability_AndCanGainNoOther()
    {
        Assert.Equal("CAP_NET_ADMIN", Service["AmbientCapabilities"]);
        Assert.Equal("CAP_NET_ADMIN", Service["CapabilityBoundingSet"]);
        Assert.Equal("yes", Service["NoNewPrivileges"]);
        Assert.Equal("yes", Service["RestrictSUIDSGID"]);
        // only the module loading before it runs as root
        Assert.StartsWith("+", Service["ExecStartPre"], StringComparison.Ordinal);
        Assert.Contains("modprobe", Service["ExecStartPre"], StringComparison.Ordinal);
        Assert.StartsWith("/usr/local/bin/ipvsd ", Service["ExecStart"], StringComparison.Ordinal);
    }

    [Fact]
    public void StateIsPrivate_AndTheSystemReadOnly_ButProcSysWritable()
    {
        Assert.Equal("ipvsd", Service["StateDirectory"]);
        Assert.Equal("0700", Service["StateDirectoryMode"]);
        Assert.Equal("0077", Service["UMask"]);
        Assert.Equal("strict", Service["ProtectSystem"]);
        Assert.Equal("yes", Service["ProtectHome"]);
        Assert.Equal("yes", Service["PrivateTmp"]);
        // ipvsd sets net.ipv4.vs.* and ip_forward itself: a read-only /proc/sys would make it exit 3
        Assert.False(Service.ContainsKey("ProtectKernelTunables"));
        Assert.False(Service.ContainsKey("ReadOnlyPaths"));
    }

    /// <summary>The settings of one [section] of the unit; a setting given twice fails (the test reads one value).</summary>
    private static Dictionary<string, string> Section(string name)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        string? section = null;
        foreach (string raw in File.ReadLines(Path.Combine(Directory, "ipvsd.service")))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            if (line[0] == '[')
            {
                section = line.Trim('[', ']');
                continue;
            }
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (section == name && equals > 0)
            {
                settings.Add(line[..equals].Trim(), line[(equals + 1)..].Trim());
            }
        }
        return settings;
    }
}
