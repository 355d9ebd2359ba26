using System.Net;

namespace Netlink.Ipvs;

/// <summary>
/// What a caller does with the kernel's IPVS table (the IPVS generic netlink family): the operations of
/// <see cref="IpvsClient"/>, as an interface so the layer above can run on a fake. Errors are
/// <see cref="NetlinkException"/>s naming the operation, the object and the errno (EEXIST, ESRCH, ENOENT, EPERM ...).
/// </summary>
public interface IIpvsClient : IDisposable
{
    /// <summary>Adds a virtual service (IPVS_CMD_NEW_SERVICE). EEXIST if it exists; ENOENT if the scheduler is unknown.</summary>
    void AddService(VirtualService service);

    /// <summary>Changes a virtual service's settings in place (IPVS_CMD_SET_SERVICE). ESRCH if missing.</summary>
    void UpdateService(VirtualService service);

    /// <summary>Deletes a virtual service with its real servers (IPVS_CMD_DEL_SERVICE). ESRCH if missing.</summary>
    void DeleteService(VirtualServiceKey key);

    /// <summary>Reads one virtual service's settings and counters (IPVS_CMD_GET_SERVICE), or null if there is none with that key.</summary>
    ObservedVirtualService? GetService(VirtualServiceKey key);

    /// <summary>Lists every virtual service with its counters (one IPVS_CMD_GET_SERVICE dump), each once.</summary>
    IReadOnlyList<ObservedVirtualService> ListServices();

    /// <summary>Adds a real server to a service (IPVS_CMD_NEW_DEST). EEXIST if present; ESRCH if the service is missing.</summary>
    void AddRealServer(VirtualServiceKey service, RealServer server);

    /// <summary>Changes a real server's forwarding, weight, thresholds or tunnel in place (IPVS_CMD_SET_DEST). ENOENT if missing.</summary>
    void UpdateRealServer(VirtualServiceKey service, RealServer server);

    /// <summary>Removes the real server at <paramref name="address"/>:<paramref name="port"/> (IPVS_CMD_DEL_DEST). ENOENT if missing.</summary>
    void DeleteRealServer(VirtualServiceKey service, IPAddress address, ushort port);

    /// <summary>Lists a service's real servers with their connections and counters (one IPVS_CMD_GET_DEST dump). Empty if the service is missing.</summary>
    IReadOnlyList<ObservedRealServer> ListRealServers(VirtualServiceKey service);

    /// <summary>
    /// Streams a service's real servers to <paramref name="receiver"/> as the dump arrives; on NLM_F_DUMP_INTR the
    /// receiver is told (OnRestart) and the real servers come again from the first.
    /// </summary>
    void ListRealServers(VirtualServiceKey service, IDumpReceiver<ObservedRealServer> receiver);

    /// <summary>Reads the whole table: every service, then each one's real servers (one dump per service).</summary>
    IReadOnlyList<IpvsServiceEntry> GetTable();

    /// <summary>
    /// Reads the whole table as <see cref="GetTable"/> does but hands each service, with its real servers, to
    /// <paramref name="receiver"/> as soon as it is read, in the kernel's order, and keeps none: a caller that compares
    /// the table with what it expects holds one service at a time instead of 10,000 (and the garbage collector does not
    /// copy records that are about to die). Large tables are decoded on a second thread, which then calls the receiver;
    /// calls never overlap and all have returned when this does. Never calls OnRestart (an interrupted dump of one
    /// service's real servers is read again before that service is handed over).
    /// </summary>
    void ReadTable(IDumpReceiver<IpvsServiceEntry> receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        foreach (IpvsServiceEntry entry in GetTable())
        {
            receiver.OnItem(entry);
        }
    }

    /// <summary>A batch to fill with changes and pass to <see cref="Execute"/>.</summary>
    IpvsBatch CreateBatch();

    /// <summary>
    /// Sends every change in <paramref name="batch"/>, many per send. On failure throws
    /// <see cref="NetlinkBatchException"/> naming the first failed change.
    /// </summary>
    void Execute(IpvsBatch batch, NetlinkBatchOptions? options = null);

    /// <summary>Zeroes the counters of one service, or of every service when <paramref name="service"/> is null (IPVS_CMD_ZERO).</summary>
    void ZeroCounters(VirtualServiceKey? service = null);

    /// <summary>Deletes every virtual service and real server (IPVS_CMD_FLUSH).</summary>
    void Flush();

    /// <summary>Reads the TCP, TCP FIN and UDP timeouts (IPVS_CMD_GET_CONFIG).</summary>
    IpvsTimeouts GetTimeouts();

    /// <summary>Sets the timeouts (IPVS_CMD_SET_CONFIG); a 0 leaves that one unchanged.</summary>
    void SetTimeouts(IpvsTimeouts timeouts);

    /// <summary>Reads the IPVS version and connection table size (IPVS_CMD_GET_INFO).</summary>
    IpvsInfo GetInfo();

    /// <summary>Starts a connection-synchronisation daemon (IPVS_CMD_NEW_DAEMON).</summary>
    void StartSyncDaemon(SyncDaemon daemon);

    /// <summary>Stops the sync daemon of <paramref name="state"/> (IPVS_CMD_DEL_DAEMON).</summary>
    void StopSyncDaemon(SyncDaemonState state);

    /// <summary>Lists the running sync daemons (IPVS_CMD_GET_DAEMON), at most one master and one backup.</summary>
    IReadOnlyList<SyncDaemon> ListSyncDaemons();
}
