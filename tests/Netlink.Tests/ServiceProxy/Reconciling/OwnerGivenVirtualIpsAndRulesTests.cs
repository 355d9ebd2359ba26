using System.Net;
using Netlink.Ipvs;
using ServiceProxy.Planning;
using ServiceProxy.Reconciling;
using ServiceProxy.Rules;
using static Netlink.Tests.ServiceProxy.Planning.TableBuilder;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>
/// The virtual IPs and rules on the fake addresses and rules backend, from either source: the services' addresses
/// (ipvsd's model files, the default) or the owner's sets (Kubernetes: node ports on the node's own address).
/// </summary>
public sealed class OwnerGivenVirtualIpsAndRulesTests
{
    private static readonly VirtualServiceKey Cluster = Tcp("10.96.0.20", 80);
    private static readonly VirtualServiceKey NodePort = Tcp("192.0.2.10", 30080); // on the node's eth0 address
    private static readonly VirtualServiceKey Other = Tcp("10.96.0.21", 443);

    private static DesiredService Pods(VirtualServiceKey key, params string[] pods) =>
        Entry(Service(key), [.. pods.Select(p => Server(p, 8080))]);

    private static ServiceRuleSet Rules(VirtualIp[] virtualIps, params NodePort[] nodePorts) =>
        ReconcilerNode.RuleTemplate with { VirtualIps = virtualIps, NodePorts = nodePorts };

    private static VirtualIp Vip(string address, ushort port) => new(IPAddress.Parse(address), ServiceProtocol.Tcp, port);

    /// <summary>The node of a NodePort service as Kubernetes asks for it: both virtual servers, the cluster IP alone bound and marked.</summary>
    private static ReconcilerNode NodePortNode()
    {
        var node = new ReconcilerNode(virtualIpsAndRules: VirtualIpsAndRulesSource.SetByOwner);
        node.Want(Pods(Cluster, "10.244.1.5"), Pods(NodePort, "10.244.1.5"));
        node.Reconciler.SetVirtualIps([IPAddress.Parse("10.96.0.20")]);
        node.Reconciler.SetRules(Rules([Vip("10.96.0.20", 80)], new NodePort(ServiceProtocol.Tcp, 30080)));
        return node;
    }

    [Fact]
    public void FromServiceAddresses_BindsAndMarksEveryServiceAddress_AsBefore()
    {
        using var node = new ReconcilerNode(virtualIpsAndRules: VirtualIpsAndRulesSource.FromServiceAddresses);
        node.Want(Pods(Cluster, "10.244.1.5"), Pods(Other, "10.244.1.6"), Pods(NodePort, "10.244.1.5"));
        SyncReport report = node.Sync();

        Assert.Equal(["10.96.0.20", "10.96.0.21"], node.Route.AddressesOn(ReconcilerNode.Interface));
        Assert.Equal([NodeAddresses.V4], report.VirtualIps!.AlreadyLocal); // a service on a node address: not bound...
        Assert.Equal(["tcp 10.96.0.20:80", "tcp 10.96.0.21:443", "tcp 192.0.2.10:30080"],
            node.RulesBackend.Installed!.VirtualIps.Select(v => v.ToString())); // ...but marked as a virtual IP
        Assert.Equal(ReconcilerNode.RuleTemplate.ClusterCidrs, node.RulesBackend.Installed.ClusterCidrs);

        node.Unwant(Other);
        node.Sync();
        Assert.Equal(["10.96.0.20"], node.Route.AddressesOn(ReconcilerNode.Interface));
        Assert.DoesNotContain(Vip("10.96.0.21", 443), node.RulesBackend.Installed!.VirtualIps);
    }

    [Fact]
    public void SetByOwner_ProgramsEveryService_ButBindsAndMarksOnlyWhatTheOwnerGives()
    {
        using ReconcilerNode node = NodePortNode();
        SyncReport report = node.Sync();

        Assert.Equal([
            "TCP 10.96.0.20:80 rr -> 10.244.1.5:8080 w1",
            "TCP 192.0.2.10:30080 rr -> 10.244.1.5:8080 w1",
        ], node.Table());
        Assert.Equal(["10.96.0.20"], node.Route.AddressesOn(ReconcilerNode.Interface));
        Assert.Equal(["192.0.2.10", "2001:db8::10"], node.Route.AddressesOn("eth0"));
        Assert.Empty(report.VirtualIps!.AlreadyLocal); // the node address was never asked for
        Assert.Equal(Rules([Vip("10.96.0.20", 80)], new NodePort(ServiceProtocol.Tcp, 30080)), node.RulesBackend.Installed);
        Assert.DoesNotContain(node.RulesBackend.Installed!.VirtualIps, v => v.Address.Equals(NodeAddresses.V4));
        Assert.Empty(node.Reconciler.Differences());
    }

    [Fact]
    public void SetByOwner_NewServicesMarkNothing_TheSameSetsAgainMarkNothing_AChangedSetOnlyItself()
    {
        using ReconcilerNode node = NodePortNode();
        node.Sync();

        node.Want(Pods(Other, "10.244.1.6"));                 // a new address among the services: the owner decides
        node.Reconciler.SetVirtualIps([IPAddress.Parse("10.96.0.20"), IPAddress.Parse("10.96.0.20")]);
        node.Reconciler.SetRules(Rules([Vip("10.96.0.20", 80), Vip("10.96.0.20", 80)], new NodePort(ServiceProtocol.Tcp, 30080)));
        Assert.False(node.Reconciler.VirtualIpsOrRulesPending);
        node.Sync();

        node.Reconciler.SetVirtualIps([IPAddress.Parse("10.96.0.21"), IPAddress.Parse("10.96.0.20")]);
        int reads = node.RulesBackend.Reads;
        SyncReport addresses = node.Sync();
        Assert.Equal([IPAddress.Parse("10.96.0.21")], addresses.VirtualIps!.Added);
        Assert.Empty(addresses.VirtualIps.Removed);
        Assert.False(addresses.RulesApplied);
        Assert.Equal(reads, node.RulesBackend.Reads);         // the rules were not looked at

        node.Reconciler.SetRules(Rules([Vip("10.96.0.20", 80), Vip("10.96.0.21", 443)], new NodePort(ServiceProtocol.Tcp, 30080)));
        int listings = node.Route.AddressListings;
        SyncReport rules = node.Sync();
        Assert.True(rules.RulesApplied);
        Assert.Null(rules.VirtualIps);                        // the addresses were not looked at
        Assert.Equal(listings, node.Route.AddressListings);
        Assert.Contains(Vip("10.96.0.21", 443), node.RulesBackend.Installed!.VirtualIps);

        node.Reconciler.SetVirtualIps([IPAddress.Parse("10.96.0.21")]);
        Assert.Equal([IPAddress.Parse("10.96.0.20")], node.Sync().VirtualIps!.Removed);
        Assert.Equal(["10.96.0.21"], node.Route.AddressesOn(ReconcilerNode.Interface));
    }

    [Fact]
    public void SetByOwner_FullSync_PutsBackAnAddressAndTheRulesTakenAway_AndCountsThem()
    {
        using ReconcilerNode node = NodePortNode();
        node.Sync();
        ServiceRuleSet installed = node.RulesBackend.Installed!;

        node.Route.RemoveAddress(ReconcilerNode.Interface, IPAddress.Parse("10.96.0.20"), 32); // ip addr del
        node.RulesBackend.Installed = null;                                                   // nft flush ruleset
        Assert.True(node.Sync().ChangedNothing);                                              // incremental: not seen

        SyncReport report = node.Sync(SyncKind.Full);
        Assert.Equal(2, report.DriftRepairs);
        Assert.Equal(["10.96.0.20"], node.Route.AddressesOn(ReconcilerNode.Interface));
        Assert.Equal(installed, node.RulesBackend.Installed);
        Assert.Equal(0, node.Sync(SyncKind.Full).DriftRepairs);
    }

    [Fact]
    public void SetByOwner_DryRunAndDifferences_SeeTheGivenSets_AndChangeNothing()
    {
        using ReconcilerNode node = NodePortNode();
        Assert.Equal([
            "add virtual service TCP 10.96.0.20:80",
            "add virtual service TCP 192.0.2.10:30080",
            "add real server 10.244.1.5:8080 to TCP 10.96.0.20:80",
            "add real server 10.244.1.5:8080 to TCP 192.0.2.10:30080",
            "virtual IP 10.96.0.20 is not bound on ipvsd0",
            "the service rules (Nftables) are not installed",
        ], node.Reconciler.Differences());

        ServiceReconciler dry = node.DryRun();
        dry.SetDesired([Pods(Cluster, "10.244.1.5"), Pods(NodePort, "10.244.1.5")], []);
        dry.SetVirtualIps([IPAddress.Parse("10.96.0.20")]);
        dry.SetRules(Rules([Vip("10.96.0.20", 80)], new NodePort(ServiceProtocol.Tcp, 30080)));
        SyncReport report = dry.Sync(SyncKind.Full);

        Assert.Equal([IPAddress.Parse("10.96.0.20")], report.VirtualIps!.Added);
        Assert.True(report.RulesApplied);
        Assert.Equal(4, report.Changes.Count);
        Assert.Empty(node.Table());
        Assert.Null(node.Route.GetLink(ReconcilerNode.Interface));
        Assert.Null(node.RulesBackend.Installed);
    }

    [Fact]
    public void SetByOwner_Cleanup_RemovesTheInterfaceAndTheRules_NotTheNodeAddresses()
    {
        using ReconcilerNode node = NodePortNode();
        node.Sync();

        CleanupReport report = node.Reconciler.Cleanup();

        Assert.Equal(new CleanupReport(2, InterfaceRemoved: true, RulesRemoved: true), report);
        Assert.Empty(node.Table());
        Assert.Null(node.Route.GetLink(ReconcilerNode.Interface));
        Assert.Equal(["192.0.2.10", "2001:db8::10"], node.Route.AddressesOn("eth0"));
        Assert.Null(node.RulesBackend.Installed);
    }

    [Fact]
    public void SetByOwner_BeforeTheOwnerGivesRules_InstallsTheTemplateWithNoVirtualIp_AsForNoService()
    {
        using var node = new ReconcilerNode(virtualIpsAndRules: VirtualIpsAndRulesSource.SetByOwner);
        node.Want(Pods(Cluster, "10.244.1.5"));
        node.Sync();

        Assert.Equal(ReconcilerNode.RuleTemplate, node.RulesBackend.Installed);
        Assert.Empty(node.RulesBackend.Installed!.VirtualIps);
        Assert.NotNull(node.Route.GetLink(ReconcilerNode.Interface));
        Assert.Empty(node.Route.AddressesOn(ReconcilerNode.Interface)); // the service's address is not the owner's word
    }

    [Fact]
    public void SetVirtualIpsAndSetRules_RefuseAReconcilerOfServiceAddresses_AndRulesThatCannotBeInstalled()
    {
        using var byAddress = new ReconcilerNode(virtualIpsAndRules: VirtualIpsAndRulesSource.FromServiceAddresses);
        Assert.Contains("SetByOwner", Assert.Throws<InvalidOperationException>(() => byAddress.Reconciler.SetVirtualIps([])).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => byAddress.Reconciler.SetRules(ReconcilerNode.RuleTemplate));

        using var byOwner = new ReconcilerNode(virtualIpsAndRules: VirtualIpsAndRulesSource.SetByOwner);
        Assert.Throws<ArgumentException>(() => byOwner.Reconciler.SetRules(ReconcilerNode.RuleTemplate with { MasqueradeMark = 0 }));
        Assert.False(byOwner.Reconciler.VirtualIpsOrRulesPending);
    }
}
