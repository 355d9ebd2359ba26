using CliWrap.Buffered;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>
/// ipvsd as deploy/systemd/ipvsd.service runs it: a user that is not root, holding CAP_NET_ADMIN as an ambient
/// capability and nothing else (not even in its bounding set), with a state directory of its own. It programs the whole
/// node that way (IPVS, the virtual IP's interface, nf_tables rules, the /proc/sys/net settings) and serves /healthz;
/// without the capability it stops at once, saying which capability and how to grant it, and changes nothing.
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class IpvsdPrivilegeTests
{
    /// <summary>nobody's uid and gid: no file of the test belongs to it but the state directory.</summary>
    private const string User = "65534";

    private static readonly string[] WithCapNetAdmin =
        ["setpriv", $"--reuid={User}", $"--regid={User}", "--clear-groups", "--inh-caps=-all,+net_admin", "--ambient-caps=+net_admin", "--bounding-set=-all,+net_admin"];

    private static readonly string[] WithNothing =
        ["setpriv", $"--reuid={User}", $"--regid={User}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"];

    // one node for both halves (first without, then with): each VM second counts, and the half without the
    // capability must find the namespace untouched anyway
    [Fact]
    public void ANonRootUser_IsToldWithoutCapNetAdmin_AndWithItAloneProgramsTheNode_AndServesHealth()
    {
        using var node = NodeForNobody();
        string forwarding = node.Namespace.Exec("cat", "/proc/sys/net/ipv4/ip_forward").Trim();
        Assert.Equal("0", forwarding); // a fresh namespace's, so the half with the capability shows ipvsd setting it

        BufferedCommandResult without = node.Namespace.TryExec(null, WithNothing[0], [.. WithNothing[1..], Ipvsd, "--config", node.Config, "--once"]);
        Assert.Equal(3, without.ExitCode);
        Assert.Equal(
            "ipvsd: permission denied reading IPVS: ipvsd needs CAP_NET_ADMIN (run it as root, or give its user the capability as an ambient one: AmbientCapabilities=CAP_NET_ADMIN, as deploy/systemd/ipvsd.service does)",
            without.StandardError.TrimEnd('\n'));
        Assert.Equal(string.Empty, node.Ipvsadm());
        Assert.NotEqual(0, node.Namespace.TryExec(null, "ip", "link", "show", "ipvsd0").ExitCode);
        Assert.NotEqual(0, node.Namespace.TryExec(null, "nft", "list", "table", "inet", "ipvsd").ExitCode);
        Assert.Equal(forwarding, node.Namespace.Exec("cat", "/proc/sys/net/ipv4/ip_forward").Trim());
        Assert.False(File.Exists(Path.Combine(node.StateDirectory, "services")));

        BufferedCommandResult once = node.Namespace.TryExec(null, WithCapNetAdmin[0], [.. WithCapNetAdmin[1..], Ipvsd, "--config", node.Config, "--once"]);
        Assert.True(once.ExitCode == 0, once.StandardOutput + once.StandardError);
        Assert.Equal(SeedServices.IpvsadmOf(SeedServices.ThreePods), node.Ipvsadm());
        Assert.Contains("198.18.97.97/32", node.Namespace.Exec("ip", "-o", "addr", "show", "dev", "ipvsd0"), StringComparison.Ordinal);
        Assert.Equal(0, node.Namespace.TryExec(null, "nft", "list", "table", "inet", "ipvsd").ExitCode);
        // set by ipvsd itself, through CAP_NET_ADMIN alone: /proc/sys/net is root's files, but the kernel lets the
        // namespace's network administrator write them
        Assert.Equal("1", node.Namespace.Exec("cat", "/proc/sys/net/ipv4/ip_forward").Trim());
        Assert.Equal("1", node.Namespace.Exec("cat", "/proc/sys/net/ipv4/vs/conntrack").Trim());
        Assert.Equal($"{User} 600", node.Namespace.Exec("stat", "-c", "%u %a", Path.Combine(node.StateDirectory, "services")).Trim());

        using IpvsdProcess daemon = IpvsdProcess.Start(node.Namespace, node.Config, WithCapNetAdmin);
        daemon.WaitForLine("ready: 1 services, 3 real servers", TimeSpan.FromSeconds(60));
        Assert.Equal(200, node.Get(10256, "/healthz").Status);
        Assert.Equal(0, daemon.Stop());
    }

    private static string Ipvsd => PublishedBinaries.PathOf("ipvsd");

    /// <summary>A node whose configuration nobody may read and whose state directory (0700) is nobody's own.</summary>
    private static IpvsdNode NodeForNobody()
    {
        var node = new IpvsdNode();
        node.WriteServices("web.yaml", SeedServices.Web(SeedServices.ThreePods));
        const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(node.Directory, Readable);
        File.SetUnixFileMode(node.ServicesDirectory, Readable);
        Directory.CreateDirectory(node.StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        node.Namespace.Exec("chown", $"{User}:{User}", node.StateDirectory);
        return node;
    }
}
