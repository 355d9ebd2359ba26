using ServiceProxy.Kernel;

namespace Netlink.Tests.ServiceProxy.Kernel;

/// <summary>The kernel settings, written into a temporary directory standing for /proc/sys.</summary>
public sealed class ProxySysctlsTests : IDisposable
{
    private static readonly string[] Always =
    [
        "net/ipv4/vs/conntrack", "net/ipv4/vs/expire_nodest_conn", "net/ipv4/vs/expire_quiescent_template", "net/ipv4/ip_forward",
    ];

    private static readonly string[] Optional =
    [
        "net/ipv4/vs/conn_reuse_mode", "net/ipv4/conf/all/arp_ignore", "net/ipv4/conf/all/arp_announce",
    ];

    private readonly string _procSys = Directory.CreateTempSubdirectory("proc-sys-").FullName;

    public ProxySysctlsTests()
    {
        foreach (string name in Always.Concat(Optional))
        {
            Write(name, "0");
        }
        Write("net/ipv4/vs/conn_reuse_mode", "1");   // the kernel's default
    }

    public void Dispose() => Directory.Delete(_procSys, recursive: true);

    [Theory]
    [InlineData("4.1.0")]
    [InlineData("4.19.0-26-amd64")]
    [InlineData("5.4.0-150-generic")]
    [InlineData("5.8.18")]
    public void KernelsFrom4_1To5_8_GetConnReuseMode0(string release)
    {
        Write("kernel/osrelease", release + "\n");

        IReadOnlyList<string> changed = ProxySysctls.Apply(_procSys);

        Assert.Equal("0", Read("net/ipv4/vs/conn_reuse_mode"));
        Assert.Contains("net.ipv4.vs.conn_reuse_mode 1 -> 0", changed);
    }

    [Theory]
    [InlineData("5.9.0")]
    [InlineData("6.1.0-18-amd64")]
    [InlineData("6.12.9+bpo-cloud-amd64")]
    [InlineData("4.0.9")]
    [InlineData("3.10.0-1160.el7.x86_64")]
    [InlineData("not a version")]
    public void OtherKernels_KeepTheirConnReuseMode(string release)
    {
        Write("kernel/osrelease", release + "\n");

        ProxySysctls.Apply(_procSys);

        Assert.Equal("1", Read("net/ipv4/vs/conn_reuse_mode"));
    }

    [Fact]
    public void UnreadableKernelVersion_KeepsConnReuseMode_AndSetsTheRest()
    {
        IReadOnlyList<string> changed = ProxySysctls.Apply(_procSys);

        Assert.Equal("1", Read("net/ipv4/vs/conn_reuse_mode"));
        Assert.All(Always, name => Assert.Equal("1", Read(name)));
        Assert.Equal(Always.Select(n => $"{n.Replace('/', '.')} 0 -> 1"), changed);
    }

    [Fact]
    public void WithoutStrictArp_ArpSettingsAreLeftAlone()
    {
        Write("net/ipv4/conf/all/arp_announce", "1");

        ProxySysctls.Apply(new ProxySysctlOptions(), _procSys);

        Assert.Equal("0", Read("net/ipv4/conf/all/arp_ignore"));
        Assert.Equal("1", Read("net/ipv4/conf/all/arp_announce"));
    }

    [Fact]
    public void StrictArp_SetsArpIgnore1AndArpAnnounce2()
    {
        IReadOnlyList<string> changed = ProxySysctls.Apply(new ProxySysctlOptions { StrictArp = true }, _procSys);

        Assert.Equal("1", Read("net/ipv4/conf/all/arp_ignore"));
        Assert.Equal("2", Read("net/ipv4/conf/all/arp_announce"));
        Assert.Contains("net.ipv4.conf.all.arp_announce 0 -> 2", changed);
    }

    [Fact]
    public void SecondApply_ChangesNothing()
    {
        Write("kernel/osrelease", "5.4.0\n");
        var options = new ProxySysctlOptions { StrictArp = true };
        ProxySysctls.Apply(options, _procSys);

        Assert.Empty(ProxySysctls.Apply(options, _procSys));
    }

    [Fact]
    public void For_ListsTheSettingsInKubeProxysOrder()
    {
        Assert.Equal(
            [
                ("net/ipv4/vs/conntrack", "1"), ("net/ipv4/vs/conn_reuse_mode", "0"), ("net/ipv4/vs/expire_nodest_conn", "1"),
                ("net/ipv4/vs/expire_quiescent_template", "1"), ("net/ipv4/ip_forward", "1"),
                ("net/ipv4/conf/all/arp_ignore", "1"), ("net/ipv4/conf/all/arp_announce", "2"),
            ],
            ProxySysctls.For(new ProxySysctlOptions { StrictArp = true }, new Version(5, 4)));
    }

    [Fact]
    public void NoIpv6Forwarding_AsKubeProxy()
    {
        Assert.DoesNotContain(ProxySysctls.For(new ProxySysctlOptions { StrictArp = true }, new Version(6, 1)), s => s.Name.StartsWith("net/ipv6", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingSetting_ThrowsNamingIt()
    {
        File.Delete(Path.Combine(_procSys, "net/ipv4/vs/expire_nodest_conn"));

        IOException e = Assert.Throws<IOException>(() => ProxySysctls.Apply(_procSys));

        Assert.Contains("net.ipv4.vs.expire_nodest_conn", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("6.1.0-18-amd64", 6, 1, 0)]
    [InlineData("5.15.0-1053-azure", 5, 15, 0)]
    [InlineData("4.19", 4, 19, -1)]
    [InlineData("6.8.0rc1", 6, 8, 0)]
    public void KernelRelease_ReadsTheLeadingNumbers(string release, int major, int minor, int patch)
    {
        Version expected = patch < 0 ? new Version(major, minor) : new Version(major, minor, patch);
        Assert.Equal(expected, KernelRelease.Parse(release));
    }

    [Theory]
    [InlineData("")]
    [InlineData("6")]
    [InlineData("linux-6.1")]
    public void KernelRelease_WithoutMajorAndMinor_IsNull(string release)
    {
        Assert.Null(KernelRelease.Parse(release));
    }

    private void Write(string name, string value)
    {
        string path = Path.Combine(_procSys, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, value);
    }

    private string Read(string name) => File.ReadAllText(Path.Combine(_procSys, name)).Trim();
}
