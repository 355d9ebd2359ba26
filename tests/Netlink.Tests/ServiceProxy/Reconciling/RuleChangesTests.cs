using System.Net;
using ServiceProxy.Reconciling;
using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>
/// How the reconciler hands the rules to the backend: the whole set on the first apply and to repair what a full read
/// found changed, only the difference from what it installed last otherwise.
/// </summary>
public sealed class RuleChangesTests
{
    private static VirtualIp Vip(string address, ushort port) => new(IPAddress.Parse(address), ServiceProtocol.Tcp, port);

    private static ServiceRuleSet Rules(params VirtualIp[] virtualIps) => ReconcilerNode.RuleTemplate with { VirtualIps = virtualIps };

    private static ReconcilerNode Node(ServiceRuleSet rules)
    {
        var node = new ReconcilerNode(virtualIpsAndRules: VirtualIpsAndRulesSource.SetByOwner);
        node.Reconciler.SetRules(rules);
        return node;
    }

    [Fact]
    public void The_first_sync_applies_the_whole_set()
    {
        using ReconcilerNode node = Node(Rules(Vip("10.96.0.20", 80)));

        Assert.True(node.Sync().RulesApplied);

        Assert.Equal((1, 1), (node.RulesBackend.Applies, node.RulesBackend.WholeApplies));
        Assert.Empty(node.RulesBackend.Changes);
        Assert.Equal(Rules(Vip("10.96.0.20", 80)), node.RulesBackend.Installed);
    }

    [Fact]
    public void Later_changes_go_to_the_backend_as_the_difference_from_what_was_installed()
    {
        using ReconcilerNode node = Node(Rules(Vip("10.96.0.20", 80), Vip("10.96.0.21", 443)));
        node.Sync();

        node.Reconciler.SetRules(Rules(Vip("10.96.0.20", 80), Vip("10.96.0.22", 8080)) with { NodePorts = [new(ServiceProtocol.Udp, 30053)] });
        Assert.True(node.Sync().RulesApplied);

        ServiceRuleChange change = Assert.Single(node.RulesBackend.Changes);
        Assert.Equal(1, node.RulesBackend.WholeApplies);
        Assert.Equal([Vip("10.96.0.22", 8080)], change.VirtualIps.Added);
        Assert.Equal([Vip("10.96.0.21", 443)], change.VirtualIps.Removed);
        Assert.Equal([new NodePort(ServiceProtocol.Udp, 30053)], change.NodePorts.Added);
        Assert.Equal(3, change.ElementCount);
        Assert.False(change.SettingsChanged);
        Assert.Equal(Rules(Vip("10.96.0.20", 80), Vip("10.96.0.22", 8080)) with { NodePorts = [new(ServiceProtocol.Udp, 30053)] }, node.RulesBackend.Installed);

        // The next change is from what this one installed.
        node.Reconciler.SetRules(Rules(Vip("10.96.0.20", 80)) with { MasqueradeMark = 0x8000 });
        node.Sync();
        Assert.Equal(2, node.RulesBackend.Changes.Count);
        Assert.Equal([Vip("10.96.0.22", 8080)], node.RulesBackend.Changes[1].VirtualIps.Removed);
        Assert.Equal([new NodePort(ServiceProtocol.Udp, 30053)], node.RulesBackend.Changes[1].NodePorts.Removed);
        Assert.True(node.RulesBackend.Changes[1].SettingsChanged);
        Assert.Equal(1, node.RulesBackend.WholeApplies);
    }

    [Fact]
    public void The_same_set_again_applies_nothing()
    {
        using ReconcilerNode node = Node(Rules(Vip("10.96.0.20", 80)));
        node.Sync();

        node.Reconciler.SetRules(Rules(Vip("10.96.0.20", 80), Vip("10.96.0.20", 80)));
        Assert.False(node.Sync().RulesApplied);

        Assert.Equal(1, node.RulesBackend.Applies);
    }

    [Fact]
    public void A_full_sync_that_finds_the_rules_changed_repairs_them_with_the_whole_set()
    {
        using ReconcilerNode node = Node(Rules(Vip("10.96.0.20", 80)));
        node.Sync();
        node.RulesBackend.Installed = Rules(Vip("10.96.0.20", 80), Vip("10.96.0.99", 80)).Normalize(); // someone added one

        SyncReport report = node.Sync(SyncKind.Full);

        Assert.Equal(1, report.DriftRepairs);
        Assert.Equal(2, node.RulesBackend.WholeApplies);
        Assert.Empty(node.RulesBackend.Changes);
        Assert.Equal(Rules(Vip("10.96.0.20", 80)), node.RulesBackend.Installed);
    }

    [Fact]
    public void A_read_that_comes_back_short_once_is_read_again_before_it_counts_as_drift()
    {
        using ReconcilerNode node = Node(Rules(Vip("10.96.0.20", 80), Vip("10.96.0.21", 80)));
        node.Sync();
        int reads = node.RulesBackend.Reads;
        node.RulesBackend.ShortReads = 1;

        SyncReport report = node.Sync(SyncKind.Full);

        Assert.Equal(0, report.DriftRepairs);
        Assert.Equal(1, node.RulesBackend.WholeApplies);
        Assert.Equal(reads + 2, node.RulesBackend.Reads);

        // Short twice: that is drift, repaired with the whole set.
        node.RulesBackend.ShortReads = 2;
        report = node.Sync(SyncKind.Full);
        Assert.Equal(1, report.DriftRepairs);
        Assert.Equal(2, node.RulesBackend.WholeApplies);
    }

    [Fact]
    public void A_full_sync_with_a_change_pending_applies_the_whole_set()
    {
        using ReconcilerNode node = Node(Rules(Vip("10.96.0.20", 80)));
        node.Sync();

        node.Reconciler.SetRules(Rules(Vip("10.96.0.21", 80)));
        node.Sync(SyncKind.Full);

        Assert.Equal(2, node.RulesBackend.WholeApplies);
        Assert.Empty(node.RulesBackend.Changes);
        Assert.Equal(Rules(Vip("10.96.0.21", 80)), node.RulesBackend.Installed);
    }

    [Fact]
    public void A_change_that_fails_is_followed_by_a_full_sync_that_applies_the_whole_set()
    {
        using ReconcilerNode node = Node(Rules(Vip("10.96.0.20", 80)));
        node.Sync();
        node.RulesBackend.Installed = Rules(Vip("10.96.0.30", 80)).Normalize(); // changed behind the reconciler's back

        node.Reconciler.SetRules(Rules(Vip("10.96.0.21", 80)));
        SyncReport failed = node.Reconciler.Sync(SyncKind.Incremental);
        Assert.IsType<InvalidOperationException>(failed.Error);
        Assert.Single(node.RulesBackend.Changes);

        SyncReport repaired = node.Sync();

        Assert.Equal(SyncKind.Full, repaired.Kind);
        Assert.Equal(2, node.RulesBackend.WholeApplies);
        Assert.Equal(Rules(Vip("10.96.0.21", 80)), node.RulesBackend.Installed);
    }
}
