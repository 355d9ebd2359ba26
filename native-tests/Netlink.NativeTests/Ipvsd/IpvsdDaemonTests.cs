using System.Globalization;
using CliWrap.Buffered;
using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>
/// ipvsd on a real IPVS kernel (the VM): one sync, drift repair, ownership, restarts, reloads, bad input, endpoints.
/// Each test has its own namespace, so its own IPVS table, addresses and rules.
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class IpvsdDaemonTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(60);

    [Fact]
    public void TwoStartedAtOnce_OneServes_TheOtherRefusesClearly_AndTheLockGoesWithItsHolder()
    {
        using var node = new IpvsdNode();
        node.WriteServices("web.yaml", SeedServices.Web(SeedServices.ThreePods));
        using IpvsdProcess a = node.Start();
        using IpvsdProcess b = node.Start();
        IpvsdNode.Eventually(() => a.Log.Contains("ready:", StringComparison.Ordinal) || b.Log.Contains("ready:", StringComparison.Ordinal), Slow, () => a.Log + "\n--\n" + b.Log);
        (IpvsdProcess serving, IpvsdProcess refused) = a.Log.Contains("ready:", StringComparison.Ordinal) ? (a, b) : (b, a);
        Assert.Equal(6, refused.WaitForExit(Slow));
        Assert.Contains("another ipvsd is running with state directory", refused.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("sync", refused.Log, StringComparison.Ordinal); // refused before touching the kernel

        BufferedCommandResult once = node.Run("--once");
        Assert.Equal(6, once.ExitCode);
        Assert.Equal(0, serving.Stop());
        once = node.Run("--once");
        Assert.True(once.ExitCode == 0, once.StandardOutput + once.StandardError);
    }

    [Fact]
    public void Once_ProgramsServicesVirtualIpAndRules_ThenFindsTheNodeInSync()
    {
        using var node = new IpvsdNode();
        node.WriteServices("web.yaml", SeedServices.Web(SeedServices.ThreePods));
        BufferedCommandResult first = node.Run("--once");
        Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);
        Assert.Equal(SeedServices.IpvsadmOf(SeedServices.ThreePods), node.Ipvsadm());
        Assert.Contains("inet 198.18.97.97/32", node.Namespace.Exec("ip", "-o", "addr", "show", "dev", "ipvsd0"), StringComparison.Ordinal);
        Assert.Contains("198.18.97.97", node.Namespace.Exec("nft", "list", "table", "inet", "ipvsd"), StringComparison.Ordinal);
        Assert.Equal("1", node.Namespace.Exec("cat", "/proc/sys/net/ipv4/vs/conntrack").Trim());
        Assert.Contains("tcp://198.18.97.97:80", File.ReadAllText(Path.Combine(node.StateDirectory, "services")), StringComparison.Ordinal);

        BufferedCommandResult again = node.Run("--once");
        Assert.True(again.ExitCode == 0, again.StandardOutput + again.StandardError);
        Assert.DoesNotContain("changes (", again.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void NeedsOnlyCapNetAdmin_AndSaysSoWithoutIt()
    {
        using var node = new IpvsdNode();
        node.WriteServices("web.yaml", SeedServices.Web(SeedServices.ThreePods));
        string ipvsd = PublishedBinaries.PathOf("ipvsd");
        // root's uid, but every capability dropped from the bounding set except the one the unit file keeps
        BufferedCommandResult without = node.Namespace.TryExec(null, "setpriv", "--bounding-set=-all", "--inh-caps=-all", ipvsd, "--config", node.Config, "--once");
        Assert.Equal(3, without.ExitCode);
        Assert.Contains("CAP_NET_ADMIN", without.StandardError, StringComparison.Ordinal);
        Assert.Equal(string.Empty, node.Ipvsadm());

        BufferedCommandResult with = node.Namespace.TryExec(null, "setpriv", "--bounding-set=-all,+net_admin", "--inh-caps=-all", ipvsd, "--config", node.Config, "--once");
        Assert.True(with.ExitCode == 0, with.StandardOutput + with.StandardError);
        Assert.Equal(SeedServices.IpvsadmOf(SeedServices.ThreePods), node.Ipvsadm());
    }

    [Fact]
    public void DryRun_LogsThePlan_AndChangesNothing()
    {
        using var node = new IpvsdNode();
        node.WriteServices("web.yaml", SeedServices.Web("198.19.1.2"));
        BufferedCommandResult dry = node.Run("--dry-run");
        Assert.True(dry.ExitCode == 0, dry.StandardOutput + dry.StandardError);
        Assert.Contains("plan: add virtual service TCP 198.18.97.97:80", dry.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("plan: add real server 198.19.1.2:80 to TCP 198.18.97.97:80", dry.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(string.Empty, node.Ipvsadm());
        Assert.False(File.Exists(Path.Combine(node.StateDirectory, "services")));
        Assert.NotEqual(0, node.Namespace.TryExec(null, "ip", "link", "show", "ipvsd0").ExitCode);
    }

    [Fact]
    public void Drift_IsRepairedWithinOneSyncPeriod_AndStoppingLeavesTheNodeAsItIs()
    {
        using var node = new IpvsdNode("sync-period: 2s\nmin-sync-period: 100ms\n");
        node.WriteServices("web.yaml", SeedServices.Web(SeedServices.ThreePods));
        using IpvsdProcess daemon = node.Start();
        daemon.WaitForLine("ready: 1 services, 3 real servers", Slow);
        string wanted = SeedServices.IpvsadmOf(SeedServices.ThreePods);

        void Repaired(string what, Action drift)
        {
            drift();
            IpvsdNode.Eventually(() => node.Ipvsadm() == wanted
                    && node.Namespace.TryExec(null, "ip", "-o", "addr", "show", "dev", "ipvsd0").StandardOutput.Contains("198.18.97.97/32", StringComparison.Ordinal)
                    && node.Namespace.TryExec(null, "nft", "list", "table", "inet", "ipvsd").ExitCode == 0,
                TimeSpan.FromSeconds(15), () => $"{what} not repaired:\n{node.Ipvsadm()}\n{daemon.Log}");
        }
        Repaired("ipvsadm -D", () => node.Ipvsadm("-D", "-t", "198.18.97.97:80"));
        Repaired("ipvsadm -d", () => node.Ipvsadm("-d", "-t", "198.18.97.97:80", "-r", "198.19.2.2:80"));
        Repaired("ipvsadm -e", () => node.Ipvsadm("-e", "-t", "198.18.97.97:80", "-r", "198.19.3.2:80", "-m", "-w", "9"));
        Repaired("ip addr del", () => node.Namespace.Exec("ip", "addr", "del", "198.18.97.97/32", "dev", "ipvsd0"));
        Repaired("nft delete table", () => node.Namespace.Exec("nft", "delete", "table", "inet", "ipvsd"));

        string metrics = node.Get(10249, "/metrics").Body;
        Assert.True(Metric(metrics, "ipvsd_drift_repairs_total") >= 5, metrics);

        Assert.Equal(0, daemon.Stop());
        Assert.Equal(wanted, node.Ipvsadm()); // no flush on stop
    }

    [Fact]
    public void ForeignService_SurvivesSyncsRestartsAndCleanup()
    {
        using var node = new IpvsdNode("sync-period: 1s\nmin-sync-period: 100ms\n");
        node.Ipvsadm("-A", "-t", "198.18.50.50:22", "-s", "wlc");
        node.Ipvsadm("-a", "-t", "198.18.50.50:22", "-r", "198.19.9.9:22", "-m");
        string foreign = node.Ipvsadm();
        node.WriteServices("web.yaml", SeedServices.Web("198.19.1.2"));
        for (int run = 0; run < 2; run++)
        {
            using IpvsdProcess daemon = node.Start();
            daemon.WaitForLine("ready:", Slow);
            Thread.Sleep(2500); // at least two more full resyncs
            Assert.Equal(0, daemon.Stop());
            Assert.Contains("TCP 198.18.50.50:22 wlc", node.Ipvsadm(), StringComparison.Ordinal);
        }
        BufferedCommandResult cleanup = node.Run("--cleanup");
        Assert.True(cleanup.ExitCode == 0, cleanup.StandardOutput + cleanup.StandardError);
        Assert.Contains("1 services deleted", cleanup.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(foreign, node.Ipvsadm());
        Assert.NotEqual(0, node.Namespace.TryExec(null, "ip", "link", "show", "ipvsd0").ExitCode);
        Assert.NotEqual(0, node.Namespace.TryExec(null, "nft", "list", "table", "inet", "ipvsd").ExitCode);
    }

    [Fact]
    public void Restart_PutsBackWeightsLeftAtZero_InPlace()
    {
        using var node = new IpvsdNode();
        node.WriteServices("web.yaml", SeedServices.Web(SeedServices.ThreePods));
        Assert.Equal(0, node.Run("--once").ExitCode);
        node.Ipvsadm("-e", "-t", "198.18.97.97:80", "-r", "198.19.2.2:80", "-m", "-w", "0"); // inhibited or draining when it stopped
        BufferedCommandResult restart = node.Run("--once");
        Assert.True(restart.ExitCode == 0, restart.StandardOutput + restart.StandardError);
        Assert.Contains("1 changes (UpdateRealServer 1)", restart.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(SeedServices.IpvsadmOf(SeedServices.ThreePods), node.Ipvsadm());
    }

    [Fact]
    public void FileChangesLand_InvalidOnesAreLoggedCountedAndIgnored_SighupRereads()
    {
        using var node = new IpvsdNode("min-sync-period: 200ms\n");
        node.WriteServices("web.yaml", SeedServices.Web("198.19.1.2"));
        using IpvsdProcess daemon = node.Start();
        daemon.WaitForLine("ready:", Slow);

        node.WriteServices("web.yaml", SeedServices.Web("198.19.1.2", "198.19.2.2"));
        IpvsdNode.Eventually(() => node.Ipvsadm() == SeedServices.IpvsadmOf("198.19.1.2", "198.19.2.2"), TimeSpan.FromSeconds(10), () => daemon.Log);

        int before = daemon.LineCount;
        node.WriteServices("api.yaml", "services:\n  - address: tcp://198.18.97.98:443\n    sched: nope\n");
        string error = daemon.WaitForLine("invalid change ignored", TimeSpan.FromSeconds(10), before);
        Assert.Contains("api.yaml:3:", error, StringComparison.Ordinal);
        Assert.Equal(SeedServices.IpvsadmOf("198.19.1.2", "198.19.2.2"), node.Ipvsadm());
        Assert.Equal(1, Metric(node.Get(10249, "/metrics").Body, "ipvsd_configuration_errors_total"));

        node.DeleteServices("api.yaml");
        before = daemon.LineCount;
        daemon.Signal("HUP");
        daemon.WaitForLine("reloading every services file (SIGHUP)", TimeSpan.FromSeconds(10), before);
        Assert.Equal(SeedServices.IpvsadmOf("198.19.1.2", "198.19.2.2"), node.Ipvsadm());
        Assert.Equal(0, daemon.Stop()); // still running after SIGHUP, and it exits cleanly
    }

    [Fact]
    public void MetricsAndHealth_Answer()
    {
        using var node = new IpvsdNode();
        node.WriteServices("web.yaml", SeedServices.Web(SeedServices.ThreePods));
        using IpvsdProcess daemon = node.Start();
        daemon.WaitForLine("ready:", Slow);
        (int status, string body) = node.Get(10256, "/healthz");
        Assert.Equal(200, status);
        Assert.Contains("\"lastUpdated\": \"20", body, StringComparison.Ordinal);
        string metrics = node.Get(10249, "/metrics").Body;
        Assert.Equal(1, Metric(metrics, "ipvsd_virtual_services"));
        Assert.Equal(3, Metric(metrics, "ipvsd_real_servers"));
        Assert.Equal(3, Metric(metrics, "ipvsd_changes_applied_total{kind=\"add_real_server\"}"));
        Assert.Contains("ipvsd_sync_duration_seconds_bucket{kind=\"full\"", metrics, StringComparison.Ordinal);
        Assert.True(Metric(metrics, "ipvsd_last_successful_sync_timestamp_seconds") > 1.7e9);
    }

    internal static double Metric(string metrics, string name)
    {
        string? line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no {name} in:\n{metrics}");
        return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
