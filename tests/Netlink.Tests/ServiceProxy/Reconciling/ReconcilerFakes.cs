using System.Net;
using Netlink.Ipvs;
using Netlink.Netfilter.Conntrack;
using ServiceProxy.Reconciling;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>The ownership record in memory, counting saves.</summary>
internal sealed class MemoryOwnershipStore : IOwnershipStore
{
    public HashSet<VirtualServiceKey> Keys { get; } = [];

    public int Saves { get; private set; }

    public IReadOnlySet<VirtualServiceKey> Load() => new HashSet<VirtualServiceKey>(Keys);

    public void Save(IReadOnlyCollection<VirtualServiceKey> owned)
    {
        Keys.Clear();
        Keys.UnionWith(owned);
        Saves++;
    }

    public void Delete() => Keys.Clear();
}

/// <summary>Health results set by the test.</summary>
internal sealed class FakeHealth : IRealServerHealth
{
    public HashSet<(VirtualServiceKey, IPAddress, ushort)> Failed { get; } = [];

    public bool IsHealthy(VirtualServiceKey service, IPAddress address, ushort port) => !Failed.Contains((service, address, port));
}

/// <summary>
/// Conntrack that records what it was asked to delete, in how many calls, and deletes it from <see cref="Table"/> (the
/// entries a test put there) by the filters' own matching; or throws <see cref="Failure"/> when one is set.
/// </summary>
internal sealed class RecordingConntrack : IConntrackClient
{
    public List<ConntrackEntry> Table { get; } = [];

    public List<ConntrackFilter> Deleted { get; } = [];

    public int Calls { get; private set; }

    public NetlinkException? Failure { get; set; }

    public IReadOnlyList<ConntrackEntry> List(ConntrackFilter? filter = null) => [.. Table.Where(e => filter?.Matches(e) ?? true)];

    public int Delete(ConntrackFilter filter) => Delete([filter]);

    public int Delete(IReadOnlyCollection<ConntrackFilter> filters)
    {
        Calls++;
        Deleted.AddRange(filters);
        if (Failure is not null)
        {
            throw Failure;
        }
        return Table.RemoveAll(e => filters.Any(f => f.Matches(e)));
    }

    public void Flush() => throw new InvalidOperationException("a reconciler never flushes conntrack");

    public void Dispose()
    {
    }
}

/// <summary>An IPVS client over the fake kernel that counts the reads of the whole table and of services' real servers.</summary>
internal sealed class CountingIpvsClient(IIpvsClient inner) : IIpvsClient
{
    public int TableReads { get; private set; }

    public int ServiceListings { get; private set; }

    public int RealServerListings { get; private set; }

    public void ResetCounts() => TableReads = ServiceListings = RealServerListings = 0;

    public IReadOnlyList<IpvsServiceEntry> GetTable()
    {
        TableReads++;
        return inner.GetTable();
    }

    public IReadOnlyList<ObservedVirtualService> ListServices()
    {
        ServiceListings++;
        return inner.ListServices();
    }

    public IReadOnlyList<ObservedRealServer> ListRealServers(VirtualServiceKey service)
    {
        RealServerListings++;
        return inner.ListRealServers(service);
    }

    public void ListRealServers(VirtualServiceKey service, IDumpReceiver<ObservedRealServer> receiver)
    {
        RealServerListings++;
        inner.ListRealServers(service, receiver);
    }

    public void AddService(VirtualService service) => inner.AddService(service);

    public void UpdateService(VirtualService service) => inner.UpdateService(service);

    public void DeleteService(VirtualServiceKey key) => inner.DeleteService(key);

    public ObservedVirtualService? GetService(VirtualServiceKey key) => inner.GetService(key);

    public void AddRealServer(VirtualServiceKey service, RealServer server) => inner.AddRealServer(service, server);

    public void UpdateRealServer(VirtualServiceKey service, RealServer server) => inner.UpdateRealServer(service, server);

    public void DeleteRealServer(VirtualServiceKey service, IPAddress address, ushort port) => inner.DeleteRealServer(service, address, port);

    public IpvsBatch CreateBatch() => inner.CreateBatch();

    public void Execute(IpvsBatch batch, NetlinkBatchOptions? options = null) => inner.Execute(batch, options);

    public void ZeroCounters(VirtualServiceKey? service = null) => inner.ZeroCounters(service);

    public void Flush() => throw new InvalidOperationException("a reconciler never flushes");

    public IpvsTimeouts GetTimeouts() => inner.GetTimeouts();

    public void SetTimeouts(IpvsTimeouts timeouts) => inner.SetTimeouts(timeouts);

    public IpvsInfo GetInfo() => inner.GetInfo();

    public void StartSyncDaemon(SyncDaemon daemon) => inner.StartSyncDaemon(daemon);

    public void StopSyncDaemon(SyncDaemonState state) => inner.StopSyncDaemon(state);

    public IReadOnlyList<SyncDaemon> ListSyncDaemons() => inner.ListSyncDaemons();

    public void Dispose() => inner.Dispose();
}
