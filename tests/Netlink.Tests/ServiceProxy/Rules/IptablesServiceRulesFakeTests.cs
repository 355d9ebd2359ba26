using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Rules;

/// <summary>The iptables backend's steps against a stand-in for iptables-save and iptables-restore.</summary>
public sealed class IptablesServiceRulesFakeTests
{
    private sealed class FakeIptables : IIptablesRunner
    {
        public Dictionary<string, string> Saved { get; } = new() { ["iptables"] = Samples.EmptyNatSave, ["ip6tables"] = Samples.EmptyNatSave };

        public List<(string Program, string Input)> Restores { get; } = [];

        public string Save(IptablesFamily family) => Saved[family.Command];

        public void Restore(IptablesFamily family, string input) => Restores.Add((family.RestoreProgram, input));
    }

    [Fact]
    public void Apply_restores_each_family_once_in_one_input()
    {
        var fake = new FakeIptables();
        using var rules = new IptablesServiceRules(fake);

        rules.Apply(Samples.DualStack);

        Assert.Equal(["iptables-restore", "ip6tables-restore"], fake.Restores.Select(r => r.Program));
        // One restore per family, committing its nat and its filter table.
        Assert.All(fake.Restores, r => Assert.Equal(["*nat", "*filter"], r.Input.Split('\n').Where(l => l.StartsWith('*'))));
        Assert.Contains("198.18.0.1/32", fake.Restores[0].Input, StringComparison.Ordinal);
        Assert.DoesNotContain("2001:db8", fake.Restores[0].Input, StringComparison.Ordinal);
        Assert.Contains("2001:db8::1/128", fake.Restores[1].Input, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_adds_no_jump_that_iptables_save_already_shows()
    {
        var fake = new FakeIptables();
        fake.Saved["iptables"] = Samples.CapturedIpv4Save;
        using var rules = new IptablesServiceRules(fake);

        rules.Apply(Samples.DualStack);

        Assert.DoesNotContain("-I ", fake.Restores[0].Input, StringComparison.Ordinal);
        Assert.Contains("-I PREROUTING", fake.Restores[1].Input, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_set_is_refused_before_anything_runs()
    {
        var fake = new FakeIptables();
        using var rules = new IptablesServiceRules(fake);

        Assert.Throws<ArgumentException>(() => rules.Apply(new ServiceRuleSet { MasqueradeMark = 0 }));
        Assert.Empty(fake.Restores);
    }

    [Fact]
    public void Remove_runs_only_for_the_families_that_have_something_installed()
    {
        var fake = new FakeIptables();
        fake.Saved["ip6tables"] = Samples.CapturedIpv6SaveWithCounters;
        using var rules = new IptablesServiceRules(fake);

        rules.Remove();

        (string program, string input) = Assert.Single(fake.Restores);
        Assert.Equal("ip6tables-restore", program);
        Assert.Contains("-X IPVSD-SERVICES", input, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_combines_both_families()
    {
        var fake = new FakeIptables();
        fake.Saved["iptables"] = Samples.CapturedIpv4Save;
        fake.Saved["ip6tables"] = Samples.CapturedIpv6SaveWithCounters;
        using var rules = new IptablesServiceRules(fake);

        ServiceRuleSet? read = rules.Read();

        Assert.Equal(3, read!.VirtualIps.Count);
        Assert.Equal(2, read.ClusterCidrs.Count);
        Assert.Equal(ServiceRulesBackendKind.Iptables, rules.Kind);
    }
}
