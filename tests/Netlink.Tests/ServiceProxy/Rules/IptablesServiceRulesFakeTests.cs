using Netlink.Netfilter.IpSet;
using Netlink.Testing.IpSet;
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
        var sets = new FakeIpSetClient();
        using var rules = new IptablesServiceRules(fake, sets);

        rules.Apply(Samples.DualStack);

        Assert.Equal(["iptables-restore", "ip6tables-restore"], fake.Restores.Select(r => r.Program));
        // One restore per family, committing its nat, filter and mangle tables; the services are in the sets, not the rules.
        Assert.All(fake.Restores, r => Assert.Equal(["*nat", "*filter", "*mangle"], r.Input.Split('\n').Where(l => l.StartsWith('*'))));
        Assert.DoesNotContain("198.18.0.1", fake.Restores[0].Input, StringComparison.Ordinal);
        Assert.Contains("IPVSD-VIRTUAL-IPS-V4", fake.Restores[0].Input, StringComparison.Ordinal);
        Assert.Contains("IPVSD-VIRTUAL-IPS-V6", fake.Restores[1].Input, StringComparison.Ordinal);
        Assert.Equal(3, sets.Elements("IPVSD-VIRTUAL-IPS-V4")!.Count + sets.Elements("IPVSD-VIRTUAL-IPS-V6")!.Count - 1);
        Assert.Contains(IpSetEntry.IpPort(System.Net.IPAddress.Parse("2001:db8::3"), (System.Net.Sockets.ProtocolType)132, 9000), sets.Elements("IPVSD-VIRTUAL-IPS-V6")!);
        Assert.Equal([IpSetEntry.PortOnly(30080)], sets.Elements("IPVSD-NODE-PORTS-TCP"));
        Assert.Equal(17, sets.Names.Count());
    }

    [Fact]
    public void Apply_adds_no_jump_that_iptables_save_already_shows()
    {
        var fake = new FakeIptables();
        var sets = new FakeIpSetClient();
        fake.Saved["iptables"] = Samples.CapturedIpv4Save;
        using var rules = new IptablesServiceRules(fake, sets);

        rules.Apply(Samples.DualStack);

        // The captured tables are of the layout before the mangle firewall: its nat and filter jumps are there, the mangle ones not.
        string v4 = fake.Restores[0].Input;
        Assert.DoesNotContain("-I ", v4[..v4.IndexOf("*mangle", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Equal(2, v4.Split('\n').Count(l => l.StartsWith("-I ", StringComparison.Ordinal)));
        Assert.Contains("-I PREROUTING", fake.Restores[1].Input, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_set_is_refused_before_anything_runs()
    {
        var fake = new FakeIptables();
        var sets = new FakeIpSetClient();
        using var rules = new IptablesServiceRules(fake, sets);

        Assert.Throws<ArgumentException>(() => rules.Apply(new ServiceRuleSet { MasqueradeMark = 0 }));
        Assert.Empty(fake.Restores);
        Assert.Empty(sets.Operations);
    }

    [Fact]
    public void Remove_runs_only_for_the_families_that_have_something_installed()
    {
        var fake = new FakeIptables();
        var sets = new FakeIpSetClient();
        fake.Saved["ip6tables"] = Samples.CapturedIpv6SaveWithCounters;
        using var rules = new IptablesServiceRules(fake, sets);

        rules.Remove();

        (string program, string input) = Assert.Single(fake.Restores);
        Assert.Equal("ip6tables-restore", program);
        Assert.Contains("-X IPVSD-SERVICES", input, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_whole_apply_fills_a_temporary_copy_of_each_existing_set_and_swaps_it_in()
    {
        var fake = new FakeIptables();
        var sets = new FakeIpSetClient();
        using var rules = new IptablesServiceRules(fake, sets);
        rules.Apply(Samples.DualStack);
        sets.Operations.Clear();

        rules.Apply(Samples.Everything);

        Assert.Equal(17, sets.Operations.Count(o => o.Command == IpSetCommand.Swap));
        Assert.All(sets.Operations.Where(o => o.Command is IpSetCommand.Add), o => Assert.EndsWith("-T", o.SetName, StringComparison.Ordinal));
        Assert.DoesNotContain(sets.Names, n => n.EndsWith("-T", StringComparison.Ordinal));
        Assert.Equal(2, sets.Elements("IPVSD-HAIRPIN-V4")!.Count + sets.Elements("IPVSD-HAIRPIN-V6")!.Count);
    }

    [Fact]
    public void A_change_of_one_service_is_one_element_and_runs_no_iptables_program()
    {
        var fake = new FakeIptables();
        var sets = new FakeIpSetClient();
        using var rules = new IptablesServiceRules(fake, sets);
        rules.Apply(Samples.DualStack);
        fake.Restores.Clear();
        sets.Operations.Clear();
        var vip = new VirtualIp(System.Net.IPAddress.Parse("198.18.9.9"), ServiceProtocol.Tcp, 80);

        rules.Apply(ServiceRuleChange.Between(Samples.DualStack, Samples.DualStack with { VirtualIps = [.. Samples.DualStack.VirtualIps, vip] }));

        IpSetOperation added = Assert.Single(sets.Operations);
        Assert.Equal(new IpSetOperation(IpSetCommand.Add, "IPVSD-VIRTUAL-IPS-V4", Tolerant: true) { Entry = IpSetEntry.IpPort(vip.Address, System.Net.Sockets.ProtocolType.Tcp, 80) }, added);
        Assert.Empty(fake.Restores);

        rules.Apply(ServiceRuleChange.Between(Samples.DualStack, Samples.DualStack with { MasqueradeAll = true, ClusterCidrs = [] }));
        Assert.Equal(2, fake.Restores.Count);
        Assert.Single(sets.Operations);
    }

    [Fact]
    public void Read_takes_the_settings_from_the_rules_and_the_lists_from_the_sets()
    {
        var fake = new FakeIptables();
        var sets = new FakeIpSetClient();
        using var rules = new IptablesServiceRules(fake, sets);
        rules.Apply(Samples.Everything);
        // What iptables-save prints of what was restored: -I rules as -A.
        fake.Saved["iptables"] = Saved(fake.Restores[0].Input);
        fake.Saved["ip6tables"] = Saved(fake.Restores[1].Input);

        Assert.Equal(Samples.Everything, rules.Read());
        Assert.Equal(ServiceRulesBackendKind.Iptables, rules.Kind);

        // A rule that no longer matches its set: the lists read as empty, so a caller sees the damage.
        fake.Saved["ip6tables"] = fake.Saved["ip6tables"].Replace("-A IPVSD-SERVICES -m set --match-set IPVSD-VIRTUAL-IPS-V6 dst,dst -j IPVSD-VIRTUAL-IP\n", "", StringComparison.Ordinal);
        ServiceRuleSet damaged = rules.Read()!;
        Assert.NotEqual(Samples.Everything, damaged);
        Assert.Empty(damaged.VirtualIps);
        Assert.True(Samples.Everything.ClusterCidrs.ToHashSet().SetEquals(damaged.ClusterCidrs));
    }

    [Fact]
    public void Remove_destroys_the_sets_after_the_rules()
    {
        var fake = new FakeIptables();
        var sets = new FakeIpSetClient();
        using var rules = new IptablesServiceRules(fake, sets);
        rules.Apply(Samples.DualStack);
        fake.Saved["iptables"] = Saved(fake.Restores[0].Input);
        fake.Restores.Clear();

        rules.Remove();

        Assert.Single(fake.Restores);
        Assert.Empty(sets.Names);
    }

    private static string Saved(string restoreInput) => restoreInput.Replace("-I ", "-A ", StringComparison.Ordinal);
}
