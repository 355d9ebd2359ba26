using Netlink.NativeTests.Infrastructure;
using ServiceProxy.Rules;

namespace Netlink.NativeTests.ServiceRules;

/// <summary>The one switch: the same rule set through either backend reads back the same, and a host can move between them.</summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class ServiceRulesSwitchTests : IDisposable
{
    private readonly TestNamespace _ns = TestNamespace.Create(routeTestRanges: false);

    public void Dispose() => _ns.Dispose();

    [Theory]
    [MemberData(nameof(SampleRuleSets.Names), MemberType = typeof(SampleRuleSets))]
    public void Both_backends_read_back_the_same_set(string name)
    {
        ServiceRuleSet applied = SampleRuleSets.ByName(name);
        using IServiceRulesBackend nftables = ServiceRulesBackend.Create(ServiceRulesBackendKind.Nftables, new ServiceRulesOptions { Namespace = _ns.Namespace });
        using IServiceRulesBackend iptables = ServiceRulesBackend.Create(ServiceRulesBackendKind.Iptables, new ServiceRulesOptions { Namespace = _ns.Namespace });

        nftables.Apply(applied);
        iptables.Apply(applied);
        ServiceRuleSet? byNftables = nftables.Read();
        ServiceRuleSet? byIptables = iptables.Read();

        Assert.NotNull(byNftables);
        Assert.Equal(byNftables, byIptables);
        Assert.Equal(byNftables.VirtualIps, byIptables!.VirtualIps);
        Assert.Equal(byNftables.NodePorts, byIptables.NodePorts);
        Assert.Equal(byNftables.ClusterCidrs, byIptables.ClusterCidrs);
        Assert.Equal(applied, byNftables);
    }

    [Theory]
    [InlineData(ServiceRulesBackendKind.Nftables, typeof(NfTablesServiceRules))]
    [InlineData(ServiceRulesBackendKind.Iptables, typeof(IptablesServiceRules))]
    public void Create_returns_the_backend_of_the_kind_asked_for(ServiceRulesBackendKind kind, Type type)
    {
        using IServiceRulesBackend backend = ServiceRulesBackend.Create(kind, new ServiceRulesOptions { Namespace = _ns.Namespace });

        Assert.IsType(type, backend);
        Assert.Equal(kind, backend.Kind);
    }

    [Fact]
    public void A_host_moves_from_iptables_to_nftables_with_remove_then_apply()
    {
        using IServiceRulesBackend iptables = ServiceRulesBackend.Create(ServiceRulesBackendKind.Iptables, new ServiceRulesOptions { Namespace = _ns.Namespace });
        using IServiceRulesBackend nftables = ServiceRulesBackend.Create(ServiceRulesBackendKind.Nftables, new ServiceRulesOptions { Namespace = _ns.Namespace });
        iptables.Apply(SampleRuleSets.WithClusterCidrs);
        ServiceRuleSet? before = iptables.Read();

        iptables.Remove();
        nftables.Apply(before!);

        Assert.Null(iptables.Read());
        Assert.DoesNotContain("IPVSD", _ns.Exec("iptables-save", "-t", "nat"), StringComparison.Ordinal);
        Assert.Equal(SampleRuleSets.WithClusterCidrs, nftables.Read());
    }

    [Theory]
    [InlineData(ServiceRulesBackendKind.Nftables)]
    [InlineData(ServiceRulesBackendKind.Iptables)]
    public void Two_owners_with_their_own_names_keep_their_own_rules_side_by_side(ServiceRulesBackendKind kind)
    {
        var otherOptions = new ServiceRulesOptions { Namespace = _ns.Namespace, TableName = "lb-other", ChainPrefix = "LBO-", Owner = "lb-other" };
        using IServiceRulesBackend ours = ServiceRulesBackend.Create(kind, new ServiceRulesOptions { Namespace = _ns.Namespace });
        using IServiceRulesBackend other = ServiceRulesBackend.Create(kind, otherOptions);
        ours.Apply(SampleRuleSets.WithClusterCidrs);
        other.Apply(SampleRuleSets.Changed);

        ours.Remove();

        Assert.Null(ours.Read());
        Assert.Equal(SampleRuleSets.Changed, other.Read());
        string listed = kind == ServiceRulesBackendKind.Nftables
            ? _ns.Exec("nft", "list", "tables")
            : _ns.Exec("iptables-save", "-t", "nat");
        Assert.DoesNotContain("ipvsd", listed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(kind == ServiceRulesBackendKind.Nftables ? "lb-other" : "LBO-SERVICES", listed, StringComparison.Ordinal);
    }
}
