using System.Diagnostics;
using System.Globalization;
using System.Net;
using k8s;
using k8s.Models;
using KubernetesTestServer;
using Netlink.Ipvs;

namespace K8sBench;

/// <summary>
/// One size, in a process of its own (so that its heap is the daemon's at that size, not both sizes'): a test API
/// server loaded with the fleet, the proxy's first sync from it, then one EndpointSlice change per "change" line read
/// from stdin, each verified in the kernel and reported on stdout.
/// </summary>
internal sealed class SizeRun : IAsyncDisposable
{
    private static readonly TimeSpan LandingLimit = TimeSpan.FromSeconds(30);

    private readonly int _services;
    private readonly TestApiServer _server;
    private readonly ProxyUnderTest _proxy;
    private readonly k8s.Kubernetes _writer;
    private readonly IpvsClient _reader;
    private readonly IPAddress[][] _endpoints;
    private readonly Dictionary<int, List<IPAddress>> _draining = [];
    private readonly Random _random = new(20261130);
    private int _drainingTotal;
    private int _nextAddress = 65_534;

    private SizeRun(int services, TestApiServer server)
    {
        _services = services;
        _server = server;
        _endpoints = [.. Enumerable.Range(0, services).Select(Fleet.Endpoints)];
        _proxy = new ProxyUnderTest(server.BaseAddress);
        _reader = _proxy.Kernel.OpenClient();
        // The change comes as the EndpointSlice controller's would: its own client, an HTTP PUT of the whole slice.
        _writer = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
    }

    public static async Task<int> MainAsync(int services)
    {
        long loading = Stopwatch.GetTimestamp();
        TestApiServer server = await TestApiServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0));
        await using var run = new SizeRun(services, server);
        run.Load();
        TimeSpan load = Stopwatch.GetElapsedTime(loading);
        (long started, FirstSync first) = await run._proxy.StartAsync();
        run.VerifyTable();
        // first_sync_s is the figure; the rest say where it went: both lists in and fed to the desired state, handed
        // to the reconciler, its full sync (IPVS, virtual IPs, rules). load_s is the server's loading, not timed.
        Console.WriteLine(Invariant($"k8s-ready size={services} first_sync_s={Stopwatch.GetElapsedTime(started, first.Synced).TotalSeconds:F3} ") +
            Invariant($"lists_s={Stopwatch.GetElapsedTime(started, first.Ready).TotalSeconds:F3} feed_s={Stopwatch.GetElapsedTime(first.Ready, first.Fed).TotalSeconds:F3} ") +
            Invariant($"sync_s={Stopwatch.GetElapsedTime(first.Fed, first.Synced).TotalSeconds:F3} load_s={load.TotalSeconds:F3}"));
        while (Console.ReadLine() is { } command)
        {
            if (command != "change")
            {
                throw new InvalidOperationException($"unknown command {command}");
            }
            int collections = GC.CollectionCount(0);
            (TimeSpan latency, Landing landing) = await run.ChangeOneAsync();
            Console.WriteLine(Invariant($"k8s-change size={services} latency_ms={latency.TotalMilliseconds:F2} sync_ms={landing.SyncDuration.TotalMilliseconds:F2} ") +
                Invariant($"planned={landing.ServicesPlanned} gcs={GC.CollectionCount(0) - collections}"));
        }
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        _proxy.Dispose();
        _reader.Dispose();
        _writer.Dispose();
        await _server.DisposeAsync();
    }

    private void Load()
    {
        _server.Nodes.Apply(Fleet.Node());
        for (int i = 0; i < _services; i++)
        {
            _server.Services.Apply(Fleet.Service(i));
            _server.EndpointSlices.Apply(Fleet.Slice(i, _endpoints[i]));
        }
    }

    /// <summary>
    /// Swaps one endpoint of a random Service's slice for an address the Service never had, PUTs the slice, and waits
    /// for the sync that brings the new real server. The old endpoint has connections (as a replaced pod's clients
    /// would), so the reconciler keeps it at weight 0 to drain: verified too.
    /// </summary>
    private async Task<(TimeSpan Latency, Landing Landing)> ChangeOneAsync()
    {
        int i = _random.Next(_services);
        int k = _random.Next(Fleet.EndpointsPerService);
        IPAddress old = _endpoints[i][k];
        IPAddress added = FreshAddress(i);
        var key = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, Fleet.ClusterIp(i), Fleet.ServicePort);
        _proxy.Kernel.SetConnections(key, old, Fleet.TargetPort, active: 2, inactive: 1);
        _endpoints[i][k] = added;
        V1EndpointSlice slice = Fleet.Slice(i, _endpoints[i]);
        Task<Landing> landed = _proxy.Expect(key, added, Fleet.TargetPort);
        (int, int, int) work = (_proxy.WholeStateReads, _proxy.Route.AddressListings, _proxy.Rules.Applies);

        long start = Stopwatch.GetTimestamp();
        await _writer.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(slice, slice.Metadata.Name, Fleet.Namespace);
        Landing landing = await landed.WaitAsync(LandingLimit);
        TimeSpan latency = Stopwatch.GetElapsedTime(start, landing.At);

        if (!_draining.TryGetValue(i, out List<IPAddress>? draining))
        {
            _draining[i] = draining = [];
        }
        draining.Add(old);
        _drainingTotal++;
        VerifyService(i, key);
        VerifyTable();
        // A slice change moves real servers only: the virtual IPs and the rules are read whole from the desired state,
        // the addresses dumped and the rules installed only when the changes say they changed, or the change would
        // cost O(Services).
        if ((_proxy.WholeStateReads, _proxy.Route.AddressListings, _proxy.Rules.Applies) != work)
        {
            throw new InvalidOperationException($"changing {slice.Metadata.Name} read the virtual IPs or rules whole, dumped the addresses or installed the rules");
        }
        return (latency, landing);
    }

    /// <summary>An address Service <paramref name="i"/> has never had: from the top of 198.19.0.0/16 down.</summary>
    private IPAddress FreshAddress(int i)
    {
        while (true)
        {
            IPAddress candidate = Fleet.Host(198, 19, _nextAddress);
            _nextAddress = _nextAddress > 1 ? _nextAddress - 1 : 65_534;
            if (!_endpoints[i].Contains(candidate) && !(_draining.TryGetValue(i, out List<IPAddress>? d) && d.Contains(candidate)))
            {
                return candidate;
            }
        }
    }

    /// <summary>The Service's real servers are exactly its endpoints at weight 1 and its replaced ones draining at weight 0.</summary>
    private void VerifyService(int i, VirtualServiceKey key)
    {
        IReadOnlyList<ObservedRealServer> servers = _reader.ListRealServers(key);
        string[] live = [.. servers.Where(s => s.Settings.Weight == 1).Select(s => s.Endpoint).Order(StringComparer.Ordinal)];
        string[] zero = [.. servers.Where(s => s.Settings.Weight == 0).Select(s => s.Endpoint).Order(StringComparer.Ordinal)];
        string[] endpoints = [.. _endpoints[i].Select(a => $"{a}:{Fleet.TargetPort}").Order(StringComparer.Ordinal)];
        string[] drained = [.. _draining[i].Select(a => $"{a}:{Fleet.TargetPort}").Order(StringComparer.Ordinal)];
        if (!live.SequenceEqual(endpoints) || !zero.SequenceEqual(drained) || servers.Count != live.Length + zero.Length)
        {
            throw new InvalidOperationException(
                $"{key}: the kernel holds [{string.Join(", ", servers.Select(s => $"{s.Endpoint} w{s.Settings.Weight}"))}], " +
                $"expected [{string.Join(", ", endpoints)}] at weight 1 and [{string.Join(", ", drained)}] at weight 0");
        }
    }

    /// <summary>The whole kernel: every Service, ten live real servers each, plus those draining.</summary>
    private void VerifyTable()
    {
        int expected = (_services * Fleet.EndpointsPerService) + _drainingTotal;
        if (_proxy.Kernel.ServiceCount != _services || _proxy.Kernel.RealServerCount != expected)
        {
            throw new InvalidOperationException(
                $"the kernel holds {_proxy.Kernel.ServiceCount} services and {_proxy.Kernel.RealServerCount} real servers, expected {_services} and {expected}");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
