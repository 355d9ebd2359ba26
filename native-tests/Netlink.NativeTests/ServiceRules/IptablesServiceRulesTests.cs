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
    /// <summary>The nat rules for any set with a cluster CIDR: a fixed number, whatever the services (they are in the sets).</summary>
    private static string[] ExpectedNat(string v, string cidr) =>
    [
        "-A PREROUTING -m comment --comment \"ipvsd service traffic\" -j IPVSD-SERVICES",
        "-A OUTPUT -m comment --comment \"ipvsd service traffic\" -j IPVSD-SERVICES",
        "-A POSTROUTING -m comment --comment \"ipvsd masquerade marked traffic\" -j IPVSD-POSTROUTING",
        "-A IPVSD-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000",
        "-A IPVSD-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE",
        $"-A IPVSD-POSTROUTING -m set --match-set IPVSD-HAIRPIN-{v} dst,dst,src -j MASQUERADE",
        $"-A IPVSD-SERVICES -m set --match-set IPVSD-VIRTUAL-IPS-{v} dst,dst -j IPVSD-VIRTUAL-IP",
        $"-A IPVSD-SERVICES -m set --match-set IPVSD-EXTERNAL-IPS-{v} dst,dst -j IPVSD-MARK-MASQ",
        "-A IPVSD-SERVICES -p tcp -m addrtype --dst-type LOCAL -m set --match-set IPVSD-NODE-PORTS-TCP dst -j IPVSD-MARK-MASQ",
        "-A IPVSD-SERVICES -p udp -m addrtype --dst-type LOCAL -m set --match-set IPVSD-NODE-PORTS-UDP dst -j IPVSD-MARK-MASQ",
        "-A IPVSD-SERVICES -p sctp -m addrtype --dst-type LOCAL -m set --match-set IPVSD-NODE-PORTS-SCTP dst -j IPVSD-MARK-MASQ",
        $"-A IPVSD-VIRTUAL-IP ! -s {cidr} -j IPVSD-MARK-MASQ",
    ];

    private static readonly string[] s_expectedV4 = ExpectedNat("V4", "198.19.0.0/16");

    private static readonly string[] s_expectedV6 = ExpectedNat("V6", "2001:db8:ff::/48");

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
        Assert.Equal(["198.18.0.1,tcp:80", "198.18.0.2,udp:53"], SetLines("IPVSD-VIRTUAL-IPS-V4"));
        Assert.Equal(["30053"], SetLines("IPVSD-NODE-PORTS-UDP"));
    }

    [Fact]
    public void Apply_installs_exactly_the_expected_IPv6_rules()
    {
        _rules.Apply(SampleRuleSets.WithClusterCidrs);

        string saved = _ns.Exec("ip6tables-save", "-t", "nat");
        Assert.Equal(s_expectedV6.Order(StringComparer.Ordinal), RuleLines(saved).Order(StringComparer.Ordinal));
        Assert.Equal(s_expectedV6.Where(l => l.StartsWith("-A IPVSD-SERVICES", StringComparison.Ordinal)), RuleLines(saved, "IPVSD-SERVICES"));
        Assert.Equal(s_ownedChains, ChainLines(saved).Order(StringComparer.Ordinal));
        Assert.Equal(["2001:db8::1,tcp:443", "2001:db8::2,udp:53"], SetLines("IPVSD-VIRTUAL-IPS-V6"));
    }

    [Fact]
    public void Apply_installs_the_filter_and_mangle_rules_as_iptables_save_prints_them_and_remove_takes_them_away()
    {
        _rules.Apply(SampleRuleSets.Everything);

        Assert.Equal(
        [
            "-A IPVSD-IPVS-FILTER -m set ! --match-set IPVSD-BOUND-IPS-V4 dst -j RETURN",
            "-A IPVSD-IPVS-FILTER -m set --match-set IPVSD-VIRTUAL-IPS-V4 dst,dst -j RETURN",
            "-A IPVSD-IPVS-FILTER -m set --match-set IPVSD-EXTERNAL-IPS-V4 dst,dst -j RETURN",
            "-A IPVSD-IPVS-FILTER -m set --match-set IPVSD-UNMARKED-IPS-V4 dst,dst -j RETURN",
            "-A IPVSD-IPVS-FILTER -p tcp -m conntrack --ctstate NEW -j REJECT --reject-with tcp-reset",
            "-A IPVSD-IPVS-FILTER -p udp -m conntrack --ctstate NEW -j REJECT --reject-with icmp-port-unreachable",
            "-A IPVSD-IPVS-FILTER -p sctp -m conntrack --ctstate NEW -j REJECT --reject-with icmp-port-unreachable",
        ], RuleLines(_ns.Exec("iptables-save", "-t", "filter"), "IPVSD-IPVS-FILTER"));
        Assert.Equal(
            ["-A IPVSD-FIREWALL -m set --match-set IPVSD-FW-TARGETS-V4 dst,dst -m set ! --match-set IPVSD-FW-ALLOWED-V4 dst,dst,src -j DROP"],
            RuleLines(_ns.Exec("iptables-save", "-t", "mangle"), "IPVSD-FIREWALL"));
        Assert.Equal(2, RuleLines(_ns.Exec("iptables-save", "-t", "mangle")).Count(l => l.EndsWith("-j IPVSD-FIREWALL", StringComparison.Ordinal)));
        Assert.Equal(["198.18.0.10,tcp:80,198.18.16.0/20", "198.18.0.10,tcp:80,198.18.5.0/24", "198.18.0.10,tcp:80,198.18.6.7"], SetLines("IPVSD-FW-ALLOWED-V4"));
        Assert.Equal(["198.18.1.2,tcp:8080,198.18.1.2"], SetLines("IPVSD-HAIRPIN-V4"));
        Assert.Contains("2001:db8::11,udp:53", SetLines("IPVSD-UNMARKED-IPS-V6"));

        _rules.Remove();

        foreach (string program in new[] { "iptables-save", "ip6tables-save" })
        {
            Assert.DoesNotContain("IPVSD", _ns.Exec(program), StringComparison.Ordinal);
        }
        Assert.Equal("", _ns.Exec("ipset", "list", "-n").Trim());
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
        Assert.DoesNotContain(_ns.Exec("ipset", "list", "-n").Split('\n'), n => n.EndsWith("-T", StringComparison.Ordinal));
    }

    [Fact]
    public void Applying_a_changed_set_rebuilds_the_sets_and_the_old_virtual_IP_is_gone()
    {
        _rules.Apply(SampleRuleSets.WithClusterCidrs);
        _rules.Apply(SampleRuleSets.Changed);

        string v4 = _ns.Exec("iptables-save", "-t", "nat");
        Assert.DoesNotContain("198.19.0.0/16", v4, StringComparison.Ordinal);
        Assert.DoesNotContain("0x4000", v4, StringComparison.Ordinal);
        Assert.Equal(["198.18.0.2,udp:53", "198.18.0.3,tcp:8080"], SetLines("IPVSD-VIRTUAL-IPS-V4"));
        Assert.Equal(["30080", "30443"], SetLines("IPVSD-NODE-PORTS-TCP"));
        Assert.Equal(["-A IPVSD-VIRTUAL-IP -j IPVSD-MARK-MASQ"], RuleLines(v4, "IPVSD-VIRTUAL-IP"));
        Assert.Equal(["-A IPVSD-MARK-MASQ -j MARK --set-xmark 0x8000/0x8000"], RuleLines(v4, "IPVSD-MARK-MASQ"));
        Assert.Equal(["2001:db8::1,tcp:443"], SetLines("IPVSD-VIRTUAL-IPS-V6"));
        Assert.Equal(SampleRuleSets.Changed, _rules.Read());
    }

    [Fact]
    public void A_change_adds_and_removes_set_elements_and_leaves_the_rules_alone()
    {
        _rules.Apply(SampleRuleSets.Everything);
        string rulesBefore = AllRules();
        ServiceRuleSet installed = SampleRuleSets.Everything;
        ServiceRuleSet[] steps =
        [
            installed with { VirtualIps = [.. installed.VirtualIps, new VirtualIp(System.Net.IPAddress.Parse("198.18.7.7"), ServiceProtocol.Tcp, 443)] },
            installed with { VirtualIps = [.. installed.VirtualIps.Skip(1)], NodePorts = [.. installed.NodePorts, new NodePort(ServiceProtocol.Sctp, 30999)] },
            installed with { HairpinEndpoints = [], RejectUnknownPortsOn = [.. installed.RejectUnknownPortsOn.Skip(1)] },
            installed with { SourceRanges = [] },
            installed,
        ];
        foreach (ServiceRuleSet wanted in steps)
        {
            ServiceRuleChange change = ServiceRuleChange.Between(installed, wanted);
            Assert.False(change.SettingsChanged);
            _rules.Apply(change);
            Assert.Equal(wanted, _rules.Read());
            Assert.Equal(rulesBefore, AllRules());
            installed = wanted;
        }

        // A settings change rewrites the few rules; the sets keep their elements.
        ServiceRuleSet remarked = installed with { MasqueradeMark = 0x8000 };
        _rules.Apply(ServiceRuleChange.Between(installed, remarked));
        Assert.Equal(remarked, _rules.Read());
        Assert.Contains("--set-xmark 0x8000/0x8000", AllRules(), StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_edited_by_hand_read_back_as_a_difference_and_a_whole_apply_repairs_them()
    {
        _rules.Apply(SampleRuleSets.WithClusterCidrs);
        _ns.Exec("iptables", "-t", "nat", "-D", "IPVSD-SERVICES", "-m", "set", "--match-set", "IPVSD-VIRTUAL-IPS-V4", "dst,dst", "-j", "IPVSD-VIRTUAL-IP");

        Assert.NotEqual(SampleRuleSets.WithClusterCidrs, _rules.Read());

        _rules.Apply(SampleRuleSets.WithClusterCidrs);
        Assert.Equal(SampleRuleSets.WithClusterCidrs, _rules.Read());
    }

    [Fact]
    public void The_one_rule_per_virtual_IP_chains_of_an_older_version_are_replaced_whole()
    {
        // The layout before ipsets: a rule per virtual IP, and the source range firewall in the filter table.
        ApplyWithIptablesRestore("iptables-restore", "*nat\n:IPVSD-SERVICES - [0:0]\n:IPVSD-VIRTUAL-IP - [0:0]\n"
            + "-A PREROUTING -m comment --comment \"ipvsd service traffic\" -j IPVSD-SERVICES\n"
            + "-A IPVSD-SERVICES -d 198.18.0.99/32 -p tcp -m tcp --dport 80 -j IPVSD-VIRTUAL-IP\nCOMMIT\n"
            + "*filter\n:IPVSD-FIREWALL - [0:0]\n-A INPUT -m comment --comment \"ipvsd load balancer source ranges\" -j IPVSD-FIREWALL\n"
            + "-A IPVSD-FIREWALL -p tcp -m conntrack --ctorigdst 198.18.0.10 --ctorigdstport 80 --ctdir ORIGINAL -j DROP\nCOMMIT\n");

        _rules.Apply(SampleRuleSets.WithClusterCidrs);

        Assert.DoesNotContain("198.18.0.99", _ns.Exec("iptables-save"), StringComparison.Ordinal);
        Assert.DoesNotContain("IPVSD-FIREWALL", _ns.Exec("iptables-save", "-t", "filter"), StringComparison.Ordinal);
        Assert.Equal(SampleRuleSets.WithClusterCidrs, _rules.Read());
    }

    [Fact]
    public void A_whole_apply_rebuilds_sets_while_rules_refer_to_them_and_leaves_no_temporary_set()
    {
        var many = new ServiceRuleSet
        {
            VirtualIps = [.. Enumerable.Range(0, 3000).Select(i => new VirtualIp(new System.Net.IPAddress([198, 18, (byte)(i / 250), (byte)(i % 250 + 1)]), ServiceProtocol.Tcp, 80))],
        };
        _rules.Apply(many);
        var fewer = many with { VirtualIps = [.. many.VirtualIps.Take(10)] };

        _rules.Apply(fewer);

        Assert.Equal(10, SetLines("IPVSD-VIRTUAL-IPS-V4").Length);
        Assert.Equal(fewer, _rules.Read());
        Assert.DoesNotContain(_ns.Exec("ipset", "list", "-n").Split('\n'), n => n.EndsWith("-T", StringComparison.Ordinal));
        // A temporary copy left by an apply that died halfway is thrown away by the next.
        _ns.Exec("ipset", "create", "IPVSD-VIRTUAL-IPS-V4-T", "hash:ip,port");
        _ns.Exec("ipset", "add", "IPVSD-VIRTUAL-IPS-V4-T", "198.19.9.9,tcp:9");
        _rules.Apply(many);
        Assert.Equal(many, _rules.Read());
        Assert.DoesNotContain("198.19.9.9", _ns.Exec("ipset", "save"), StringComparison.Ordinal);
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

    /// <summary>The elements of one set as `ipset save` prints them, sorted.</summary>
    private string[] SetLines(string set) =>
        [.. _ns.Exec("ipset", "save", set).Split('\n').Where(l => l.StartsWith("add ", StringComparison.Ordinal)).Select(l => l[(l.IndexOf(' ', 4) + 1)..].Trim()).Order(StringComparer.Ordinal)];

    private string AllRules() => WithoutComments(_ns.Exec("iptables-save") + _ns.Exec("ip6tables-save"));

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
