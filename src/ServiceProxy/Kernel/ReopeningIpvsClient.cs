using System.Net;
using Netlink;
using Netlink.Ipvs;

namespace ServiceProxy.Kernel;

/// <summary>
/// An <see cref="IIpvsClient"/> for a long-running program that gives up its socket whenever the socket itself
/// failed, and opens a new one (resolving IPVS again) for the next operation. A socket that failed midway may be
/// unusable for good: closed, or holding the rest of a dump it stopped reading (the kernel refuses every further dump
/// on that socket with EBUSY until the old one is read out), or speaking to a family id that ip_vs took away when it
/// was unloaded. Only the kernel's refusal of a change in a batch (<see cref="NetlinkBatchException"/>) keeps the
/// socket: that is an answer, and the socket is fine. When opening fails (IPVS still missing) the operation throws
/// what the opener threw, and the next one tries again. Not thread-safe, like the clients it holds.
/// </summary>
/// <param name="open">Opens a client (for a daemon, <see cref="IpvsOpener.Open"/>, which loads ip_vs when it is missing).</param>
/// <param name="first">A client already open, used until it fails; null to open one at the first operation.</param>
public sealed class ReopeningIpvsClient(Func<IIpvsClient> open, IIpvsClient? first = null) : IIpvsClient
{
    private IIpvsClient? _current = first;

    /// <summary>How many clients this one opened itself (a client given as <c>first</c> not counted).</summary>
    public int Opened { get; private set; }

    /// <summary>The failure that made the last client be given up; null while the first one is in use.</summary>
    public Exception? LastDropReason { get; private set; }

    private IIpvsClient Current()
    {
        if (_current is null)
        {
            _current = open();
            Opened++;
        }
        return _current;
    }

    private T Use<T>(Func<IIpvsClient, T> operation)
    {
        IIpvsClient client = Current();
        try
        {
            return operation(client);
        }
        catch (Exception e) when (e is ObjectDisposedException || (e is NetlinkException && e is not NetlinkBatchException))
        {
            Drop(client, e);
            throw;
        }
    }

    private void Use(Action<IIpvsClient> operation) => Use<object?>(client =>
    {
        operation(client);
        return null;
    });

    private void Drop(IIpvsClient client, Exception reason)
    {
        LastDropReason = reason;
        _current = null;
        client.Dispose();
    }

    /// <inheritdoc />
    public void AddService(VirtualService service) => Use(c => c.AddService(service));

    /// <inheritdoc />
    public void UpdateService(VirtualService service) => Use(c => c.UpdateService(service));

    /// <inheritdoc />
    public void DeleteService(VirtualServiceKey key) => Use(c => c.DeleteService(key));

    /// <inheritdoc />
    public ObservedVirtualService? GetService(VirtualServiceKey key) => Use(c => c.GetService(key));

    /// <inheritdoc />
    public IReadOnlyList<ObservedVirtualService> ListServices() => Use(c => c.ListServices());

    /// <inheritdoc />
    public void AddRealServer(VirtualServiceKey service, RealServer server) => Use(c => c.AddRealServer(service, server));

    /// <inheritdoc />
    public void UpdateRealServer(VirtualServiceKey service, RealServer server) => Use(c => c.UpdateRealServer(service, server));

    /// <inheritdoc />
    public void DeleteRealServer(VirtualServiceKey service, IPAddress address, ushort port) => Use(c => c.DeleteRealServer(service, address, port));

    /// <inheritdoc />
    public IReadOnlyList<ObservedRealServer> ListRealServers(VirtualServiceKey service) => Use(c => c.ListRealServers(service));

    /// <inheritdoc />
    public void ListRealServers(VirtualServiceKey service, IDumpReceiver<ObservedRealServer> receiver) => Use(c => c.ListRealServers(service, receiver));

    /// <inheritdoc />
    public IReadOnlyList<IpvsServiceEntry> GetTable() => Use(c => c.GetTable());

    /// <inheritdoc />
    public void ReadTable(IDumpReceiver<IpvsServiceEntry> receiver) => Use(c => c.ReadTable(receiver));

    /// <inheritdoc />
    public IpvsBatch CreateBatch() => Current().CreateBatch();

    /// <inheritdoc />
    public void Execute(IpvsBatch batch, NetlinkBatchOptions? options = null) => Use(c => c.Execute(batch, options));

    /// <inheritdoc />
    public void ZeroCounters(VirtualServiceKey? service = null) => Use(c => c.ZeroCounters(service));

    /// <inheritdoc />
    public void Flush() => Use(c => c.Flush());

    /// <inheritdoc />
    public IpvsTimeouts GetTimeouts() => Use(c => c.GetTimeouts());

    /// <inheritdoc />
    public void SetTimeouts(IpvsTimeouts timeouts) => Use(c => c.SetTimeouts(timeouts));

    /// <inheritdoc />
    public IpvsInfo GetInfo() => Use(c => c.GetInfo());

    /// <inheritdoc />
    public void StartSyncDaemon(SyncDaemon daemon) => Use(c => c.StartSyncDaemon(daemon));

    /// <inheritdoc />
    public void StopSyncDaemon(SyncDaemonState state) => Use(c => c.StopSyncDaemon(state));

    /// <inheritdoc />
    public IReadOnlyList<SyncDaemon> ListSyncDaemons() => Use(c => c.ListSyncDaemons());

    /// <inheritdoc />
    public void Dispose()
    {
        _current?.Dispose();
        _current = null;
    }
}
