using Netlink.NativeTests.Infrastructure;
using ServiceProxy.Rules;

namespace Netlink.NativeTests.ServiceRules;

/// <summary>
/// The iptables backend against this machine's iptables and kernel, in a fresh namespace per test: what it installs is
/// read with `iptables-save -t nat` / `ip6tables-save -t nat` run inside the namespace and compared line for line.
/// </summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class IptablesServiceRulesTests : IDisposable
{
    private static readonly string[] s_expectedV4 =
    [
        "-A PREROUTING -m comment --comment \"ipvsd service traffic\" -j IPVSD-SERVICES",
        "-A OUTPUT -m comment --comment \"ipvsd service traffic\" -j IPVSD-SERVICES",
        "-A POSTROUTING -m comment --comment \"ipvsd masquerade marked traffic\" -j IPVSD-POSTROUTING",
        "-A IPVSD-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000",
        "-A IPVSD-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE",
        "-A IPVSD-SERVICES -d 198.18.0.1/32 -p tcp -m tcp --dport 80 -j IPVSD-VIRTUAL-IP",
        "-A IPVSD-SERVICES -d 198.18.0.2/32 -p udp -m udp --dport 53 -j IPVSD-VIRTUAL-IP",
        "-A IPVSD-SERVICES -p tcp -m tcp --dport 30080 -m addrtype --dst-type LOCAL -j IPVSD-MARK-MASQ",
        "-A IPVSD-SERVICES -p udp -m udp --dport 30053 -m addrtype --dst-type LOCAL -j IPVSD-MARK-MASQ",
        "-A IPVSD-VIRTUAL-IP ! -s 198.19.0.0/16 -j IPVSD-MARK-MASQ",
    ];

    private static readonly string[] s_expectedV6 =
    [
        "-A PREROUTING -m comment --comment \"ipvsd service traffic\" -j IPVSD-SERVICES",
        "-A OUTPUT -m comment --comment \"ipvsd service traffic\" -j IPVSD-SERVICES",
        "-A POSTROUTING -m comment --comment \"ipvsd masquerade marked traffic\" -j IPVSD-POSTROUTING",
        "-A IPVSD-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000",
        "-A IPVSD-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE",
        "-A IPVSD-SERVICES -d 2001:db8::1/128 -p tcp -m tcp --dport 443 -j IPVSD-VIRTUAL-IP",
        "-A IPVSD-SERVICES -d 2001:db8::2/128 -p udp -m udp --dport 53 -j IPVSD-VIRTUAL-IP",
        "-A IPVSD-SERVICES -p tcp -m tcp --dport 30080 -m addrtype --dst-type LOCAL -j IPVSD-MARK-MASQ",
        "-A IPVSD-SERVICES -p udp -m udp --dport 30053 -m addrtype --dst-type LOCAL -j IPVSD-MARK-MASQ",
        "-A IPVSD-VIRTUAL-IP ! -s 2001:db8:ff::/48 -j IPVSD-MARK-MASQ",
    ];

    private static readonly string[] s_ownedChains = [":IPVSD-MARK-MASQ - [0:0]", ":IPVSD-POSTROUTING - [0:0]", ":IPVSD-SERVICES - [0:0]", ":IPVSD-VIRTUAL-IP - [0:0]"];

    private readonly TestNamespace _ns = TestNamespace.Create(routeTestRanges: false);
    private readonly IServiceRulesBackend _rules;

    public IptablesServiceRulesTests()
    {
        _rules = ServiceRulesBackend.Create(ServiceRulesBackendKind.Iptables, new ServiceRulesOptions { Namespace = _ns.Namespace });
    }

    public void Dispose()
    {
        _rules.Dispose();
        _ns.Dispose();
    }

    [Fact]
    public void Apply_installs_exactly_the_expected_IPv4_rules()
    {
        _rules.Apply(SampleRuleSets.WithClusterCidrs);

        string saved = _ns.Exec("iptables-save", "-t", "nat");
        Assert.Equal(s_expectedV4.Order(StringComparer.Ordinal), RuleLines(saved).Order(StringComparer.Ordinal));
        Assert.Equal(s_expectedV4.Where(l => l.StartsWith("-A IPVSD-SERVICES", StringComparison.Ordinal)), RuleLines(saved, "IPVSD-SERVICES"));
        Assert.Equal(s_ownedChains, ChainLines(saved).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Apply_installs_exactly_the_expected_IPv6_rules()
    {
        _rules.Apply(SampleRuleSets.WithClusterCidrs);

        string saved = _ns.Exec("ip6tables-save", "-t", "nat");
        Assert.Equal(s_expectedV6.Order(StringComparer.Ordinal), RuleLines(saved).Order(StringComparer.Ordinal));
        Assert.Equal(s_expectedV6.Where(l => l.StartsWith("-A IPVSD-SERVICES", StringComparison.Ordinal)), RuleLines(saved, "IPVSD-SERVICES"));
        Assert.Equal(s_ownedChains, ChainLines(saved).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Apply_installs_the_filter_rules_as_iptables_save_prints_them_and_remove_takes_them_away()
    {
        _rules.Apply(SampleRuleSets.Everything);

        string saved = _ns.Exec("iptables-save", "-t", "filter");
        Assert.Equal(
        [
            "-A IPVSD-FIREWALL -s 198.18.5.0/24 -p tcp -m conntrack --ctorigdst 198.18.0.10 --ctorigdstport 80 --ctdir ORIGINAL -j RETURN",
            "-A IPVSD-FIREWALL -s 198.18.6.7/32 -p tcp -m conntrack --ctorigdst 198.18.0.10 --ctorigdstport 80 --ctdir ORIGINAL -j RETURN",
            "-A IPVSD-FIREWALL -s 198.18.16.0/20 -p tcp -m conntrack --ctorigdst 198.18.0.10 --ctorigdstport 80 --ctdir ORIGINAL -j RETURN",
            "-A IPVSD-FIREWALL -p tcp -m conntrack --ctorigdst 198.18.0.10 --ctorigdstport 80 --ctdir ORIGINAL -j DROP",
        ], RuleLines(saved, "IPVSD-FIREWALL"));
        Assert.Equal(
        [
            "-A IPVSD-IPVS-FILTER -d 198.18.0.1/32 -p tcp -m tcp --dport 80 -j RETURN",
            "-A IPVSD-IPVS-FILTER -d 198.18.0.2/32 -p udp -m udp --dport 53 -j RETURN",
            "-A IPVSD-IPVS-FILTER -d 198.18.0.10/32 -p tcp -m tcp --dport 80 -j RETURN",
            "-A IPVSD-IPVS-FILTER -d 198.18.0.11/32 -p tcp -m tcp --dport 8080 -j RETURN",
        ], RuleLines(saved, "IPVSD-IPVS-FILTER").Where(l => l.EndsWith("RETURN", StringComparison.Ordinal)));
        Assert.Equal(12, RuleLines(saved, "IPVSD-IPVS-FILTER").Count(l => l.Contains("--ctstate NEW -j REJECT", StringComparison.Ordinal)));
        Assert.Contains("-A IPVSD-IPVS-FILTER -d 198.18.0.1/32 -p tcp -m conntrack --ctstate NEW -j REJECT --reject-with tcp-reset", RuleLines(saved));
        Assert.Equal(2, RuleLines(saved, "INPUT").Length);
        Assert.Single(RuleLines(saved, "OUTPUT"));
        Assert.Contains("-A IPVSD-POSTROUTING -s 198.18.1.2/32 -d 198.18.1.2/32 -p tcp -m tcp --dport 8080 -j MASQUERADE", RuleLines(_ns.Exec("iptables-save", "-t", "nat")));
        Assert.Contains("-A IPVSD-IPVS-FILTER -d 2001:db8::11/128 -p udp -m udp --dport 53 -j RETURN", RuleLines(_ns.Exec("ip6tables-save", "-t", "filter")));

        _rules.Remove();

        Assert.DoesNotContain("IPVSD", _ns.Exec("iptables-save", "-t", "filter"), StringComparison.Ordinal);
        Assert.DoesNotContain("IPVSD", _ns.Exec("ip6tables-save", "-t", "filter"), StringComparison.Ordinal);
    }

    [Fact]
    public void Applying_the_same_set_again_changes_nothing_and_adds_no_second_jump()
    {
        _rules.Apply(SampleRuleSets.WithClusterCidrs);
        string[] v4 = RuleLines(_ns.Exec("iptables-save", "-t", "nat"));
        string[] v6 = RuleLines(_ns.Exec("ip6tables-save", "-t", "nat"));

        _rules.Apply(SampleRuleSets.WithClusterCidrs);
        _rules.Apply(SampleRuleSets.WithClusterCidrs);

        string[] v4Again = RuleLines(_ns.Exec("iptables-save", "-t", "nat"));
        Assert.Equal(v4, v4Again);
        Assert.Equal(v6, RuleLines(_ns.Exec("ip6tables-save", "-t", "nat")));
        Assert.Single(v4Again, l => l.StartsWith("-A PREROUTING", StringComparison.Ordinal));
        Assert.Single(v4Again, l => l.StartsWith("-A POSTROUTING", StringComparison.Ordinal));
    }

    [Fact]
    public void Applying_a_changed_set_replaces_the_rules_and_the_old_virtual_IP_is_gone()
    {
        _rules.Apply(SampleRuleSets.WithClusterCidrs);
        _rules.Apply(SampleRuleSets.Changed);

        string v4 = _ns.Exec("iptables-save", "-t", "nat");
        Assert.DoesNotContain("198.18.0.1/32", v4, StringComparison.Ordinal);
        Assert.DoesNotContain("198.19.0.0/16", v4, StringComparison.Ordinal);
        Assert.DoesNotContain("0x4000", v4, StringComparison.Ordinal);
        Assert.Equal(
        [
            "-A IPVSD-SERVICES -d 198.18.0.2/32 -p udp -m udp --dport 53 -j IPVSD-VIRTUAL-IP",
            "-A IPVSD-SERVICES -d 198.18.0.3/32 -p tcp -m tcp --dport 8080 -j IPVSD-VIRTUAL-IP",
            "-A IPVSD-SERVICES -p tcp -m tcp --dport 30080 -m addrtype --dst-type LOCAL -j IPVSD-MARK-MASQ",
            "-A IPVSD-SERVICES -p tcp -m tcp --dport 30443 -m addrtype --dst-type LOCAL -j IPVSD-MARK-MASQ",
        ], RuleLines(v4, "IPVSD-SERVICES"));
        Assert.Equal(["-A IPVSD-VIRTUAL-IP -j IPVSD-MARK-MASQ"], RuleLines(v4, "IPVSD-VIRTUAL-IP"));
        Assert.Equal(["-A IPVSD-MARK-MASQ -j MARK --set-xmark 0x8000/0x8000"], RuleLines(v4, "IPVSD-MARK-MASQ"));
        string v6 = _ns.Exec("ip6tables-save", "-t", "nat");
        Assert.DoesNotContain("2001:db8::2/128", v6, StringComparison.Ordinal);
        Assert.Contains("-A IPVSD-SERVICES -d 2001:db8::1/128 -p tcp -m tcp --dport 443 -j IPVSD-VIRTUAL-IP", RuleLines(v6));
        Assert.Equal(SampleRuleSets.Changed, _rules.Read());
    }

    [Theory]
    [MemberData(nameof(SampleRuleSets.Names), MemberType = typeof(SampleRuleSets))]
    public void Read_returns_the_set_that_was_applied(string name)
    {
        ServiceRuleSet applied = SampleRuleSets.ByName(name);
        _rules.Apply(applied);

        ServiceRuleSet? read = _rules.Read();

        Assert.NotNull(read);
        Assert.Equal(applied, read);
        Assert.Equal(applied.Normalize().VirtualIps, read.VirtualIps);
    }

    [Fact]
    public void Read_of_a_namespace_without_the_rules_is_null()
    {
        Assert.Null(_rules.Read());
    }

    [Fact]
    public void Remove_leaves_no_owned_chain_or_jump_and_keeps_other_rules()
    {
        ApplyWithIptablesRestore("iptables-restore", "*nat\n:OTHER - [0:0]\n-A PREROUTING -j OTHER\n-A OTHER -d 198.18.9.9/32 -j RETURN\nCOMMIT\n");
        _rules.Apply(SampleRuleSets.WithClusterCidrs);

        _rules.Remove();

        string v4 = _ns.Exec("iptables-save", "-t", "nat");
        string v6 = _ns.Exec("ip6tables-save", "-t", "nat");
        Assert.DoesNotContain("IPVSD", v4, StringComparison.Ordinal);
        Assert.DoesNotContain("IPVSD", v6, StringComparison.Ordinal);
        Assert.Equal(["-A PREROUTING -j OTHER", "-A OTHER -d 198.18.9.9/32 -j RETURN"], RuleLines(v4));
        Assert.Null(_rules.Read());
        _rules.Remove();
        Assert.Equal(WithoutComments(v4), WithoutComments(_ns.Exec("iptables-save", "-t", "nat")));
    }

    [Fact]
    public void Jumps_go_first_in_the_built_in_chains_so_other_rules_cannot_skip_the_marking()
    {
        ApplyWithIptablesRestore("iptables-restore", "*nat\n-A PREROUTING -d 198.18.0.0/15 -j ACCEPT\n-A POSTROUTING -j ACCEPT\nCOMMIT\n");

        _rules.Apply(SampleRuleSets.WithClusterCidrs);

        string v4 = _ns.Exec("iptables-save", "-t", "nat");
        Assert.Equal(
            ["-A PREROUTING -m comment --comment \"ipvsd service traffic\" -j IPVSD-SERVICES", "-A PREROUTING -d 198.18.0.0/15 -j ACCEPT"],
            RuleLines(v4, "PREROUTING"));
        Assert.Equal("-A POSTROUTING -m comment --comment \"ipvsd masquerade marked traffic\" -j IPVSD-POSTROUTING", RuleLines(v4, "POSTROUTING")[0]);
    }

    [Fact]
    public void A_refused_restore_becomes_an_exception_that_quotes_iptables_and_the_refused_line()
    {
        _rules.Apply(SampleRuleSets.WithClusterCidrs);
        // A chain of someone else's that jumps into ours keeps ours from being deleted.
        ApplyWithIptablesRestore("iptables-restore", "*nat\n:OTHER - [0:0]\n-A OTHER -j IPVSD-MARK-MASQ\nCOMMIT\n");

        IptablesException e = Assert.Throws<IptablesException>(_rules.Remove);

        Assert.Equal("iptables-restore", e.Program);
        Assert.NotEqual(0, e.ExitCode);
        Assert.Contains("iptables-restore (IPv4) in network namespace /var/run/netns/" + _ns.Name, e.Message, StringComparison.Ordinal);
        Assert.Contains("refused input line", e.Message, StringComparison.Ordinal);
        Assert.Contains("IPVSD-MARK-MASQ", e.Message, StringComparison.Ordinal);
        Assert.Contains("still jumps into one of them: delete that rule", e.Message, StringComparison.Ordinal);
        Assert.Contains("IPVSD-MARK-MASQ", e.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_are_installed_in_the_namespace_only()
    {
        _rules.Apply(SampleRuleSets.WithClusterCidrs);

        Assert.NotEmpty(RuleLines(_ns.Exec("iptables-save", "-t", "nat")));
        using var other = TestNamespace.Create(routeTestRanges: false);
        Assert.Empty(RuleLines(other.Exec("iptables-save", "-t", "nat")));
        Assert.Null(ServiceRulesBackend.Create(ServiceRulesBackendKind.Iptables, new ServiceRulesOptions { Namespace = other.Namespace }).Read());
    }

    private void ApplyWithIptablesRestore(string program, string input)
    {
        CliWrap.Buffered.BufferedCommandResult result = _ns.TryExec(input, program, "--noflush");
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    private static string WithoutComments(string saved) => string.Join('\n', saved.Split('\n').Where(l => !l.StartsWith('#')));

    /// <summary>The -A lines of the saved nat table, of one chain or all.</summary>
    internal static string[] RuleLines(string saved, string? chain = null) =>
        [.. saved.Split('\n').Select(l => l.TrimEnd()).Where(l => l.StartsWith(chain is null ? "-A " : "-A " + chain + " ", StringComparison.Ordinal))];

    private static string[] ChainLines(string saved) =>
        [.. saved.Split('\n').Select(l => l.TrimEnd()).Where(l => l.StartsWith(":IPVSD-", StringComparison.Ordinal))];
}
