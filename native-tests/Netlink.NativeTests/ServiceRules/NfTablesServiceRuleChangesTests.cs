using System.Net;
using Netlink.NativeTests.Infrastructure;
using ServiceProxy.Rules;

namespace Netlink.NativeTests.ServiceRules;

/// <summary>
/// <see cref="IServiceRulesBackend.Apply(ServiceRuleChange)"/> of the nf_tables backend against this machine's kernel,
/// in a fresh namespace per test: after each change the table reads back as the wanted set, and a change of lists only
/// leaves the chains and rules as they were (`nft -a list` shows the same handles), changing set elements alone.
/// </summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class NfTablesServiceRuleChangesTests : IDisposable
{
    private readonly TestNamespace _ns = TestNamespace.Create(routeTestRanges: false);
    private readonly IServiceRulesBackend _rules;
    private ServiceRuleSet _installed = SampleRuleSets.Everything;

    public NfTablesServiceRuleChangesTests()
    {
        _rules = ServiceRulesBackend.Create(ServiceRulesBackendKind.Nftables, new ServiceRulesOptions { Namespace = _ns.Namespace });
        _rules.Apply(_installed);
    }

    public void Dispose()
    {
        _rules.Dispose();
        _ns.Dispose();
    }

    private static VirtualIp Vip(string address, ServiceProtocol protocol, ushort port) => new(IPAddress.Parse(address), protocol, port);

    private static readonly ServiceRuleSet s_everything = SampleRuleSets.Everything;

    [Fact]
    public void Virtual_IPs_of_each_kind_and_node_ports_are_added_and_removed_without_touching_the_rules()
    {
        string rules = ChainsAndRules();

        ElementsOnly(s_everything with
        {
            VirtualIps = [.. s_everything.VirtualIps, Vip("198.18.0.3", ServiceProtocol.Tcp, 8080), Vip("2001:db8::3", ServiceProtocol.Sctp, 9000)],
            ExternalVirtualIps = [.. s_everything.ExternalVirtualIps, Vip("198.18.0.12", ServiceProtocol.Udp, 53), Vip("2001:db8::12", ServiceProtocol.Tcp, 443)],
            UnmarkedVirtualIps = [.. s_everything.UnmarkedVirtualIps, Vip("198.18.0.13", ServiceProtocol.Tcp, 80), Vip("2001:db8::13", ServiceProtocol.Udp, 5353)],
            NodePorts = [.. s_everything.NodePorts, new NodePort(ServiceProtocol.Sctp, 30100)],
        });
        string listed = _ns.Exec("nft", "list", "table", "inet", "ipvsd");
        Assert.Contains("2001:db8::3 . sctp . 9000", listed, StringComparison.Ordinal);
        Assert.Contains("198.18.0.12 . udp . 53", listed, StringComparison.Ordinal);
        Assert.Contains("2001:db8::13 . udp . 5353", listed, StringComparison.Ordinal);
        Assert.Contains("sctp . 30100", listed, StringComparison.Ordinal);

        // Each original one of every list removed, the new ones kept.
        ElementsOnly(_installed with
        {
            VirtualIps = [.. _installed.VirtualIps.Where(v => v.Address.ToString() is not ("198.18.0.1" or "2001:db8::1"))],
            ExternalVirtualIps = [.. _installed.ExternalVirtualIps.Where(v => v.Port != 80)],
            UnmarkedVirtualIps = [.. _installed.UnmarkedVirtualIps.Where(v => v.Address.ToString() is not ("198.18.0.11" or "2001:db8::11"))],
            NodePorts = [new NodePort(ServiceProtocol.Sctp, 30100)],
            // The firewall's targets were the external ones removed: its sets empty with them.
            SourceRanges = [],
        });
        Assert.DoesNotContain("198.18.0.1 . tcp . 80", _ns.Exec("nft", "list", "table", "inet", "ipvsd"), StringComparison.Ordinal);

        Assert.Equal(rules, ChainsAndRules());
    }

    [Fact]
    public void Hairpin_endpoints_and_reject_addresses_are_added_and_removed()
    {
        string rules = ChainsAndRules();

        ElementsOnly(s_everything with
        {
            HairpinEndpoints = [s_everything.HairpinEndpoints[1], Vip("198.18.1.3", ServiceProtocol.Udp, 53), Vip("2001:db8:1::3", ServiceProtocol.Tcp, 80)],
            RejectUnknownPortsOn = [.. s_everything.RejectUnknownPortsOn.Where(a => a.ToString() != "198.18.0.2"), IPAddress.Parse("198.18.0.20"), IPAddress.Parse("2001:db8::20")],
        });
        ElementsOnly(s_everything with { HairpinEndpoints = [], RejectUnknownPortsOn = [] });
        ElementsOnly(s_everything);

        Assert.Equal(rules, ChainsAndRules());
    }

    [Fact]
    public void Source_ranges_are_added_widened_narrowed_and_removed()
    {
        string rules = ChainsAndRules();
        SourceRange v4 = s_everything.SourceRanges[0];
        SourceRange v6 = s_everything.SourceRanges[1];
        var newTarget = new SourceRange(Vip("2001:db8::12", ServiceProtocol.Tcp, 443), [IPNetwork.Parse("2001:db8:12::/48"), IPNetwork.Parse("2001:db8:13::1/128")]);
        ServiceRuleSet withNewTarget = s_everything with
        {
            ExternalVirtualIps = [.. s_everything.ExternalVirtualIps, newTarget.Target],
            SourceRanges = [v4, v6, newTarget],
        };

        // A new target with its ranges, and a range more for an existing one.
        ElementsOnly(withNewTarget with { SourceRanges = [v4 with { AllowedSources = [.. v4.AllowedSources, IPNetwork.Parse("198.18.200.0/24")] }, v6, newTarget] });
        // Widened: 198.18.0.0/21 covers 198.18.5.0/24 and 198.18.6.7, which go; 2001:db8:4::/46 covers 2001:db8:5::/48.
        ElementsOnly(withNewTarget with
        {
            SourceRanges =
            [
                v4 with { AllowedSources = [IPNetwork.Parse("198.18.0.0/21"), IPNetwork.Parse("198.18.16.0/20")] },
                v6 with { AllowedSources = [IPNetwork.Parse("2001:db8:4::/46")] },
                newTarget,
            ],
        });
        Assert.Contains("198.18.0.10 . tcp . 80 . 198.18.0.0/21", _ns.Exec("nft", "list", "table", "inet", "ipvsd"), StringComparison.Ordinal);
        // Narrowed again, inside the wider ranges (which the interval set refuses to hold both of).
        ElementsOnly(withNewTarget);
        // The new target gone, and the v6 one left with no source allowed at all.
        ElementsOnly(s_everything with { SourceRanges = [v4, v6 with { AllowedSources = [] }] });
        ElementsOnly(s_everything);

        Assert.Equal(rules, ChainsAndRules());
    }

    [Fact]
    public void A_virtual_IP_moving_between_lists_is_in_the_new_one_and_not_the_old()
    {
        string rules = ChainsAndRules();
        VirtualIp moving = s_everything.ExternalVirtualIps[0];

        ElementsOnly(s_everything with
        {
            ExternalVirtualIps = [.. s_everything.ExternalVirtualIps.Skip(1)],
            UnmarkedVirtualIps = [.. s_everything.UnmarkedVirtualIps, moving],
        });
        ElementsOnly(s_everything with
        {
            ExternalVirtualIps = [.. s_everything.ExternalVirtualIps.Skip(1)],
            VirtualIps = [.. s_everything.VirtualIps, moving],
        });

        Assert.Equal(rules, ChainsAndRules());
    }

    [Fact]
    public void A_change_of_settings_replaces_the_rules()
    {
        string rules = ChainsAndRules();
        ServiceRuleSet wanted = s_everything with { MasqueradeAll = true, ClusterCidrs = [], MasqueradeMark = 0x8000, VirtualIps = [.. s_everything.VirtualIps.Skip(1)] };

        _rules.Apply(ServiceRuleChange.Between(_installed, wanted));

        Assert.Equal(wanted, _rules.Read());
        Assert.NotEqual(rules, ChainsAndRules());
        Assert.Contains("meta mark set meta mark | 0x00008000", _ns.Exec("nft", "list", "table", "inet", "ipvsd"), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_table_a_change_installs_the_whole_wanted_set()
    {
        _ns.Exec("nft", "delete", "table", "inet", "ipvsd");
        ServiceRuleSet wanted = s_everything with { NodePorts = [new NodePort(ServiceProtocol.Tcp, 30443)] };

        _rules.Apply(ServiceRuleChange.Between(s_everything, wanted));

        Assert.Equal(wanted, _rules.Read());
    }

    [Fact]
    public void An_empty_change_changes_nothing()
    {
        string before = _ns.Exec("nft", "-a", "list", "table", "inet", "ipvsd");

        _rules.Apply(ServiceRuleChange.Between(_installed, _installed));

        Assert.Equal(before, _ns.Exec("nft", "-a", "list", "table", "inet", "ipvsd"));
    }

    [Fact]
    public void Deleting_an_element_that_is_not_there_fails_naming_it_and_changes_nothing()
    {
        VirtualIp gone = s_everything.VirtualIps[0];
        _ns.Exec("nft", "delete", "element", "inet", "ipvsd", "virtual-ips-v4", "{ 198.18.0.1 . tcp . 80 }");
        string before = _ns.Exec("nft", "-a", "list", "table", "inet", "ipvsd");

        // Someone else deleted it; the change still believes it installed, and adds a node port beside.
        NetlinkBatchException e = Assert.Throws<NetlinkBatchException>(() => _rules.Apply(ServiceRuleChange.Between(s_everything,
            s_everything with { VirtualIps = [.. s_everything.VirtualIps.Where(v => v != gone)], NodePorts = [.. s_everything.NodePorts, new NodePort(ServiceProtocol.Tcp, 30443)] })));

        Assert.Equal(Errno.ENOENT, e.ErrorNumber);
        Assert.StartsWith("delete virtual IP tcp 198.18.0.1:80 from set inet ipvsd virtual-ips-v4: ", e.Message, StringComparison.Ordinal);
        // All or nothing: the node port added in the same transaction is not there either.
        Assert.Equal(before, _ns.Exec("nft", "-a", "list", "table", "inet", "ipvsd"));
    }

    /// <summary>Applies the change from what is installed to <paramref name="wanted"/>; checks it reads back as wanted.</summary>
    private void ElementsOnly(ServiceRuleSet wanted)
    {
        ServiceRuleChange change = ServiceRuleChange.Between(_installed, wanted);
        Assert.False(change.SettingsChanged);
        Assert.False(change.IsEmpty);

        _rules.Apply(change);

        Assert.Equal(wanted, _rules.Read());
        _installed = wanted;
    }

    /// <summary>The chains and rules of the table with their handles (`nft -a`), without the sets and their elements.</summary>
    private string ChainsAndRules()
    {
        string[] lines = _ns.Exec("nft", "-a", "list", "table", "inet", "ipvsd").Split('\n');
        int firstChain = Array.FindIndex(lines, l => l.TrimStart().StartsWith("chain ", StringComparison.Ordinal));
        Assert.True(firstChain > 0, "the table has chains");
        string chains = string.Join('\n', lines[firstChain..]);
        Assert.Contains("# handle", chains, StringComparison.Ordinal);
        return chains;
    }
}
