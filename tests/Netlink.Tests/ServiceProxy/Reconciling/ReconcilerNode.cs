using Microsoft.Extensions.Time.Testing;
using Netlink.Ipvs;
using Netlink.Testing;
using ServiceProxy.Planning;
using ServiceProxy.Reconciling;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>A node for reconciler tests: the fake IPVS kernel, the ownership record, health, conntrack and a clock that survive "restarts".</summary>
internal sealed class ReconcilerNode : IDisposable
{
    public FakeIpvsKernel Kernel { get; } = new();

    public MemoryOwnershipStore Store { get; } = new();

    public FakeHealth Health { get; } = new();

    public RecordingConntrack Conntrack { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));

    public CountingIpvsClient Client { get; }

    /// <summary>Someone else's client on the same kernel (ipvsadm, in real life).</summary>
    public IpvsClient Other { get; }

    public ServiceReconciler Reconciler { get; private set; }

    public ReconcilerNode(TimeSpan? drainTimeout = null)
    {
        Client = new CountingIpvsClient(Kernel.OpenClient());
        Other = Kernel.OpenClient();
        DrainTimeout = drainTimeout ?? TimeSpan.FromMinutes(15);
        Reconciler = Start();
    }

    public TimeSpan DrainTimeout { get; }

    /// <summary>A new reconciler over the same kernel and record, as after a restart of the daemon.</summary>
    public ServiceReconciler Restart() => Reconciler = Start();

    private ServiceReconciler Start() => new(Client, Store, new ReconcilerOptions { DrainTimeout = DrainTimeout })
    {
        Health = Health,
        Conntrack = Conntrack,
        Time = Time,
    };

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
