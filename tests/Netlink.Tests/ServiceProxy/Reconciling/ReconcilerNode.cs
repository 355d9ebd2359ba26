using System.Net;
using Microsoft.Extensions.Time.Testing;
using Netlink.Ipvs;
using Netlink.Testing;
using Netlink.Tests.ServiceProxy.Health;
using ServiceProxy.Planning;
using ServiceProxy.Reconciling;
using ServiceProxy.Rules;
using ServiceProxy.VirtualIps;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>
/// A node for reconciler tests: the fake IPVS kernel, the ownership record, health, conntrack and a clock that survive
/// "restarts"; with a source of virtual IPs and rules given, also the addresses (on <see cref="Route"/>, the dummy
/// interface <see cref="Interface"/>) and the rules (<see cref="RulesBackend"/>, on <see cref="RuleTemplate"/>).
/// </summary>
internal sealed class ReconcilerNode : IDisposable
{
    public FakeIpvsKernel Kernel { get; } = new();

    public MemoryOwnershipStore Store { get; } = new();

    public FakeHealth Health { get; } = new();

    public RecordingConntrack Conntrack { get; } = new();

    /// <summary>What the reconcilers of this node logged.</summary>
    public ListLogger<ServiceReconciler> Log { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));

    public CountingIpvsClient Client { get; }

    public FakeRouteClient Route { get; } = new(NodeAddresses.V4, NodeAddresses.V6);

    public FakeRulesBackend RulesBackend { get; } = new();

    public const string Interface = "ipvsd0";

    /// <summary>The reconciler's rule template: pods in 10.244.0.0/16 reach services with their own address.</summary>
    public static ServiceRuleSet RuleTemplate { get; } = new() { ClusterCidrs = [IPNetwork.Parse("10.244.0.0/16")] };

    /// <summary>Someone else's client on the same kernel (ipvsadm, in real life).</summary>
    public IpvsClient Other { get; }

    public ServiceReconciler Reconciler { get; private set; }

    /// <summary>
    /// A node whose reconciler drains for <paramref name="drainTimeout"/>, and binds and installs on the fakes only when
    /// <paramref name="virtualIpsAndRules"/> says where they come from.
    /// </summary>
    public ReconcilerNode(TimeSpan? drainTimeout = null, VirtualIpsAndRulesSource? virtualIpsAndRules = null)
    {
        Client = new CountingIpvsClient(Kernel.OpenClient());
        Other = Kernel.OpenClient();
        DrainTimeout = drainTimeout ?? TimeSpan.FromMinutes(15);
        VirtualIpsAndRules = virtualIpsAndRules;
        Reconciler = Start(dryRun: false);
    }

    public TimeSpan DrainTimeout { get; }

    public VirtualIpsAndRulesSource? VirtualIpsAndRules { get; }

    /// <summary>A new reconciler over the same kernel and record, as after a restart of the daemon.</summary>
    public ServiceReconciler Restart() => Reconciler = Start(dryRun: false);

    /// <summary>Another reconciler over the same node that changes nothing (ipvsd --dry-run); <see cref="Reconciler"/> stays.</summary>
    public ServiceReconciler DryRun() => Start(dryRun: true);

    private ServiceReconciler Start(bool dryRun)
    {
        var options = new ReconcilerOptions
        {
            DrainTimeout = DrainTimeout,
            DryRun = dryRun,
            RuleTemplate = RuleTemplate,
            VirtualIpsAndRules = VirtualIpsAndRules ?? VirtualIpsAndRulesSource.FromServiceAddresses,
        };
        return new ServiceReconciler(Client, Store, options, Log)
        {
            Health = Health,
            Conntrack = Conntrack,
            Time = Time,
            VirtualIps = VirtualIpsAndRules is null ? null : new VirtualIpBinder(Route, Interface),
            Rules = VirtualIpsAndRules is null ? null : RulesBackend,
        };
    }

    public void Want(params DesiredService[] services) => Reconciler.SetDesired(services, []);

    public void Unwant(params VirtualServiceKey[] keys) => Reconciler.SetDesired([], keys);

    public SyncReport Sync(SyncKind kind = SyncKind.Incremental)
    {
        SyncReport report = Reconciler.Sync(kind);
        Assert.True(report.Succeeded, report.Error?.ToString());
        return report;
    }

    /// <summary>The kernel's table as "TCP 198.18.0.1:80 rr -> 198.19.0.1:80 w1, ..." lines, sorted.</summary>
    public IReadOnlyList<string> Table() =>
        [.. Other.GetTable()
            .Select(e => $"{e.Service.Key} {e.Service.Settings.Scheduler} -> {string.Join(", ", e.RealServers.Select(r => $"{r.Endpoint} w{r.Settings.Weight}").Order(StringComparer.Ordinal))}")
            .Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        Client.Dispose();
        Other.Dispose();
    }
}
