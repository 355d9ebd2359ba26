using System.Diagnostics;
using System.Net;
using k8s;
using Netlink.Ipvs;
using Netlink.Testing;
using ServiceProxy.Kubernetes.Reconciling;
using ServiceProxy.Kubernetes.Translation;
using ServiceProxy.Kubernetes.Watching;
using ServiceProxy.Reconciling;
using ServiceProxy.Rules;
using ServiceProxy.VirtualIps;

namespace K8sBench;

/// <summary>
/// The service proxy as ipvsd's Kubernetes mode composes it, on an in-memory node: KubernetesSource (the real client
/// over HTTP) → KubernetesStateUpdates → ReconcilerFeed → a SetByOwner ServiceReconciler over a fresh FakeIpvsKernel
/// (through the real IpvsClient and its wire format), with the virtual IPs bound on an in-memory ipvsd0 and the rules
/// installed in memory, synced by one thread.
/// </summary>
internal sealed class ProxyUnderTest : IDisposable
{
    private const string DummyInterface = "ipvsd0";

    private readonly KubernetesConnection _connection;
    private readonly IpvsClient _ipvs;
    private readonly IpvsClient _probeClient;
    private readonly SyncThread _sync;
    private readonly KubernetesSource _source;
    private readonly KubernetesStateUpdates _updates;
    private readonly ReconcilerFeed _feed;
    private readonly CancellationTokenSource _stop = new();
    private LandingProbe? _probe;
    private Task? _running;

    public ProxyUnderTest(Uri apiServer)
    {
        Kernel = new FakeIpvsKernel();
        _ipvs = Kernel.OpenClient();
        _probeClient = Kernel.OpenClient();
        Route = new FakeRouteClient(Fleet.NodeAddress);
        Rules = new MemoryRulesBackend();
        Reconciler = new ServiceReconciler(_ipvs, new MemoryOwnershipStore(), new ReconcilerOptions { VirtualIpsAndRules = VirtualIpsAndRulesSource.SetByOwner })
        {
            VirtualIps = new VirtualIpBinder(Route, DummyInterface),
            Rules = Rules,
        };
        _sync = new SyncThread { Synced = AfterSync };
        var options = new KubernetesProxyOptions { NodeName = Fleet.NodeName, Scheduler = KubernetesProxyOptions.DefaultScheduler };
        _updates = new KubernetesStateUpdates(options, HostAddresses.Read(Route), DummyInterface, _sync.Wake);
        _feed = new ReconcilerFeed(_updates.State, Reconciler, new ServiceRuleSet { ClusterCidrs = [IPNetwork.Parse("10.244.0.0/16")] });
        _connection = KubernetesConnection.FromConfiguration(new KubernetesClientConfiguration { Host = apiServer.ToString() });
        _source = KubernetesSource.Create(_connection, new KubernetesSourceOptions { NodeName = Fleet.NodeName }, _updates.Handlers);
    }

    public FakeIpvsKernel Kernel { get; }

    public ServiceReconciler Reconciler { get; }

    public FakeRouteClient Route { get; }

    public MemoryRulesBackend Rules { get; }

    /// <summary>Syncs since the first whose changes made the feed read the virtual IPs or rules whole (see <see cref="SyncThread.WholeStateReads"/>).</summary>
    public int WholeStateReads => _sync.WholeStateReads;

    /// <summary>Starts the informers and the sync thread; completes with the first sync's times (Stopwatch ticks) and when it started.</summary>
    public async Task<(long Started, FirstSync First)> StartAsync()
    {
        long started = Stopwatch.GetTimestamp();
        _running = _source.RunAsync(_stop.Token);
        _sync.Start(_source, _updates, _feed);
        return (started, await _sync.First.WaitAsync(TimeSpan.FromMinutes(10)));
    }

    /// <summary>Watches for <paramref name="address"/>:<paramref name="port"/> in <paramref name="service"/> from the next sync on.</summary>
    public Task<Landing> Expect(VirtualServiceKey service, IPAddress address, ushort port)
    {
        var probe = new LandingProbe(service, address, port);
        Volatile.Write(ref _probe, probe);
        return probe.Landed;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _sync.Dispose();
        _running?.Wait(TimeSpan.FromSeconds(10));
        _connection.Dispose();
        _ipvs.Dispose();
        _probeClient.Dispose();
        _stop.Dispose();
    }

    private void AfterSync(SyncReport report, long ended)
    {
        if (Volatile.Read(ref _probe) is { } probe && probe.Check(_probeClient, report, ended))
        {
            Interlocked.CompareExchange(ref _probe, null, probe);
        }
    }
}
