using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Rules;

/// <summary>iptables-restore's error output, in its three shapes, turned into a message that says what to fix.</summary>
public sealed class IptablesErrorsTests
{
    private const string Input = "*nat\n:IPVSD-SERVICES - [0:0]\n-A IPVSD-SERVICES -j NOPE\nCOMMIT\n";

    [Fact]
    public void A_parse_error_quotes_the_reason_and_the_refused_input_line()
    {
        const string stderr = "iptables-restore v1.8.9 (nf_tables): Chain 'NOPE' does not exist\nError occurred at line: 3\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.\n";

        IptablesException e = IptablesErrors.Failed("iptables-restore", IptablesFamily.IPv4, "/var/run/netns/lb", 2, stderr, Input);

        Assert.Equal("iptables-restore (IPv4) in network namespace /var/run/netns/lb failed with exit code 2: Chain 'NOPE' does not exist; "
            + "it refused input line 3: -A IPVSD-SERVICES -j NOPE. Check the rule set (virtual IPs, ports, cluster CIDRs) and the host's iptables, then apply again.", e.Message);
        Assert.Equal(2, e.ExitCode);
        Assert.Equal(stderr, e.StandardError);
    }

    [Fact]
    public void A_commit_error_of_the_nft_variant_is_quoted_with_its_line()
    {
        const string stderr = "iptables-restore v1.8.9 (nf_tables): \nline 2: CHAIN_DEL failed (Device or resource busy): chain IPVSD-SERVICES\n";

        IptablesException e = IptablesErrors.Failed("ip6tables-restore", IptablesFamily.IPv6, null, 4, stderr, Input);

        Assert.Equal("ip6tables-restore (IPv6) failed with exit code 4: line 2: CHAIN_DEL failed (Device or resource busy): chain IPVSD-SERVICES; "
            + "it refused input line 2: :IPVSD-SERVICES - [0:0]. A rule outside the IPVSD-* chains still jumps into one of them: delete that rule, then remove again.", e.Message);
    }

    [Fact]
    public void A_failure_of_the_legacy_variant_names_the_line()
    {
        IptablesException e = IptablesErrors.Failed("iptables-restore", IptablesFamily.IPv4, null, 1, "iptables-restore: line 3 failed\n", Input);

        Assert.Contains(": line 3 failed; it refused input line 3: -A IPVSD-SERVICES -j NOPE.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iptables-restore v1.8.9 (legacy): iptables-restore: unable to initialize table 'nat'\nPermission denied (you must be root)\n", "Run as root or with CAP_NET_ADMIN.")]
    [InlineData("ip6tables-restore v1.8.9 (legacy): can't initialize ip6tables table `nat': Table does not exist (do you need to insmod?)\n", "modprobe ip6table_nat")]
    [InlineData("iptables-restore v1.8.9 (nf_tables): Couldn't load match `addrtype':No such file or directory\nError occurred at line: 3\n", "xt_addrtype")]
    [InlineData("Another app is currently holding the xtables lock. Stopped waiting after 10s.\n", "xtables lock")]
    public void The_hint_fits_the_failure(string stderr, string hint)
    {
        IptablesException e = IptablesErrors.Failed("ip6tables-restore", IptablesFamily.IPv6, null, 1, stderr, Input);

        Assert.Contains(hint, e.Message, StringComparison.Ordinal);
    }
}

/// <summary>What the runner says when the programs are not there.</summary>
public sealed class IptablesCommandRunnerTests
{
    [Fact]
    public void A_missing_iptables_says_install_iptables()
    {
        DirectoryInfo empty = Directory.CreateTempSubdirectory("no-iptables");
        try
        {
            var runner = new IptablesCommandRunner(null, [empty.FullName]);

            IptablesException e = Assert.Throws<IptablesException>(() => runner.Save(IptablesFamily.IPv6));

            Assert.Equal($"ip6tables-save was not found (looked in {empty.FullName}): install iptables (apt-get install iptables, dnf install iptables-nft), "
                + "or use the Nftables service rules backend", e.Message);
        }
        finally
        {
            empty.Delete();
        }
    }

    [Fact]
    public void A_missing_nsenter_says_install_util_linux()
    {
        DirectoryInfo only = Directory.CreateTempSubdirectory("only-iptables");
        try
        {
            File.WriteAllText(Path.Combine(only.FullName, "iptables-restore"), "");
            var runner = new IptablesCommandRunner(Netlink.NetworkNamespace.FromName("lb"), [only.FullName]);

            IptablesException e = Assert.Throws<IptablesException>(() => runner.Restore(IptablesFamily.IPv4, "*nat\nCOMMIT\n"));

            Assert.Contains("nsenter was not found", e.Message, StringComparison.Ordinal);
            Assert.Contains("/var/run/netns/lb", e.Message, StringComparison.Ordinal);
            Assert.Contains("install util-linux", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            only.Delete(recursive: true);
        }
    }
}
