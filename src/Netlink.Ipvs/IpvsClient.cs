using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Netlink.Generic;
using Netlink.Ipvs.Codec;
using static Netlink.Ipvs.Codec.IpvsConstants;

namespace Netlink.Ipvs;

/// <summary>
/// Reads and changes the kernel's IPVS table over one reused generic netlink socket. Every operation needs
/// CAP_NET_ADMIN, reads included. Not thread-safe: one operation at a time. Using one client from two threads at once
/// throws <see cref="InvalidOperationException"/> (its connection detects the overlap) rather than mixing up requests
/// or replies; use one client per thread, or lock around it.
/// </summary>
public sealed partial class IpvsClient : IIpvsClient
{
    private const string PermissionHint = "IPVS needs CAP_NET_ADMIN, for reads too: run as root or grant the capability";

    /// <summary>Room for the largest request (a service or real server with every attribute); a buffer grows if not.</summary>
    private const int RequestSize = 512;

    private readonly NetlinkConnection _connection;

    private IpvsClient(NetlinkConnection connection, ushort familyId)
    {
        _connection = connection;
        FamilyId = familyId;
    }

    /// <summary>The IPVS family's generic netlink id on this kernel.</summary>
    public ushort FamilyId { get; }

    /// <summary>
    /// Opens a socket (in <see cref="NetlinkClientOptions.Namespace"/> if given) and resolves IPVS on it. Throws
    /// <see cref="IpvsUnavailableException"/> when the kernel has no IPVS.
    /// </summary>
    public static IpvsClient Open(IpvsClientOptions? options = null) =>
        TryOpen(options, out IpvsClient? client, out string? reason) ? client : throw new IpvsUnavailableException(reason);

    /// <summary>
    /// Like <see cref="Open(IpvsClientOptions?)"/>, but a kernel without IPVS is an answer, not an exception: returns
    /// false with the reason ("the ip_vs module is not loaded"). The library starts no process: loading the module is
    /// the caller's business. Every other failure (no socket, no permission) still throws.
    /// </summary>
    public static bool TryOpen(IpvsClientOptions? options, [NotNullWhen(true)] out IpvsClient? client, [NotNullWhen(false)] out string? unavailableReason)
    {
        options ??= IpvsClientOptions.Default;
        if (!NetlinkConnection.TryOpen(NetlinkProtocol.Generic, SocketOptions(options), out NetlinkConnection? connection, out unavailableReason))
        {
            client = null;
            return false;
        }
        return TryOpen(connection, out client, out unavailableReason);
    }

    /// <summary>
    /// One receive call per datagram, into a buffer of <see cref="DumpDatagramSize"/> bytes. IPVS's replies are small:
    /// a doit reply or ack fits NLMSG_GOODSIZE, and a dump datagram is as large as the receive buffer offered (the
    /// kernel sizes it so), so none can be cut; one that ever were would fail as truncated, never be parsed cut.
    /// </summary>
    private static NetlinkSocketOptions SocketOptions(IpvsClientOptions options)
    {
        NetlinkSocketOptions common = options.ToSocketOptions(peekDatagramSize: false);
        return new NetlinkSocketOptions
        {
            Namespace = common.Namespace,
            ReceiveTimeout = common.ReceiveTimeout,
            ReceiveBufferSize = common.ReceiveBufferSize,
            SendBufferSize = common.SendBufferSize,
            PeekDatagramSize = false,
            MaxDatagramSize = DumpDatagramSize,
        };
    }

    /// <summary>
    /// The receive buffer, which sets the size of every dump datagram: the kernel allocates and zeroes that much for
    /// each one, the lone NLMSG_DONE that ends every GET_DEST dump included. With 32 KiB (what a larger buffer gets)
    /// that zeroing was most of a table read's kernel time. 8 KiB less the kernel's skb_shared_info (320 bytes on
    /// 64-bit) is the largest that still comes from the kmalloc-8k slab rather than from 32 KiB of pages, and it holds
    /// 20 real servers; it is also at least NLMSG_GOODSIZE on any page size, the size of IPVS's other replies.
    /// </summary>
    internal const int DumpDatagramSize = 8192 - 320;

    /// <summary>
    /// Resolves IPVS on <paramref name="connection"/> (a NETLINK_GENERIC connection, or a test's stand-in) and returns a
    /// client that owns it. Throws <see cref="IpvsUnavailableException"/> when the kernel has no IPVS; the connection is
    /// disposed whenever no client is returned.
    /// </summary>
    public static IpvsClient Open(NetlinkConnection connection) =>
        TryOpen(connection, out IpvsClient? client, out string? reason) ? client : throw new IpvsUnavailableException(reason);

    /// <summary>
    /// Like <see cref="Open(NetlinkConnection)"/>, but returns false with the reason when the kernel has no IPVS. The
    /// connection is disposed whenever no client is returned, by a false answer or by an exception.
    /// </summary>
    public static bool TryOpen(NetlinkConnection connection, [NotNullWhen(true)] out IpvsClient? client, [NotNullWhen(false)] out string? unavailableReason)
    {
        ArgumentNullException.ThrowIfNull(connection);
        client = null;
        try
        {
            GenericNetlinkFamily? family = new GenericNetlinkResolver(connection).TryResolve(FamilyName);
            if (family is not null)
            {
                client = new IpvsClient(connection, family.Id);
                unavailableReason = null;
                return true;
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        connection.Dispose();
        unavailableReason = "the ip_vs module is not loaded";
        return false;
    }

    /// <summary>Adds a virtual service. EEXIST if it exists; ENOENT if the scheduler is unknown.</summary>
    public void AddService(VirtualService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteService(request, FamilyId, service, update: false);
        Execute(request, "add virtual service", service.Key.ToString());
    }

    /// <summary>Changes a virtual service's settings in place (its real servers and connections stay). ESRCH if missing.</summary>
    public void UpdateService(VirtualService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteService(request, FamilyId, service, update: true);
        Execute(request, "edit virtual service", service.Key.ToString());
    }

    /// <summary>Deletes a virtual service with its real servers. ESRCH if missing.</summary>
    public void DeleteService(VirtualServiceKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteServiceKeyOnly(request, FamilyId, CmdDelService, key);
        Execute(request, "delete virtual service", key.ToString());
    }

    /// <summary>Reads one virtual service's settings and counters, or null if there is none with that key.</summary>
    public ObservedVirtualService? GetService(VirtualServiceKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteServiceKeyOnly(request, FamilyId, CmdGetService, key);
        try
        {
            return _connection.Query(request, IpvsReplyParser.ParseServiceMessage, "get virtual service", key);
        }
        catch (NetlinkException e) when (e.ErrorNumber is Errno.ESRCH or Errno.ENOENT)
        {
            return null;
        }
        catch (NetlinkException e) when (e.ErrorNumber == Errno.EPERM)
        {
            throw WithPermissionHint(e);
        }
    }

    /// <summary>
    /// Lists every virtual service with its counters (one dump), each once. Not a snapshot when another network
    /// namespace changes IPVS meanwhile: the kernel resumes each datagram of the dump by position in a table all
    /// namespaces share, so a large table read then can miss a service (repeats are dropped here).
    /// </summary>
    public IReadOnlyList<ObservedVirtualService> ListServices()
    {
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteCommand(request, FamilyId, CmdGetService);
        return WithoutEchoes(Dump(request, IpvsReplyParser.ParseServiceMessage, "list virtual services", null));
    }

    /// <summary>
    /// Keeps each service key once. IPVS keeps every namespace's services in one kernel-wide hash table and resumes a
    /// dump by counting through it, so a service added in another namespace while ours is read shifts the count and
    /// the next datagram repeats entries already sent. A namespace never holds two services with one key, so a
    /// repeated key is always such an echo.
    /// </summary>
    private static List<ObservedVirtualService> WithoutEchoes(List<ObservedVirtualService> services)
    {
        var seen = new HashSet<VirtualServiceKey>(services.Count);
        services.RemoveAll(service => !seen.Add(service.Key));
        return services;
    }

    /// <summary>Adds a real server to a service. EEXIST if present; ESRCH if the service is missing.</summary>
    public void AddRealServer(VirtualServiceKey service, RealServer server)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(server);
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteRealServer(request, FamilyId, service, server, update: false);
        (string operation, string? target) = Describe(IpvsOperationKind.AddRealServer, service, server);
        Execute(request, operation, target);
    }

    /// <summary>Changes a real server's forwarding, weight, thresholds or tunnel in place. ENOENT if missing.</summary>
    public void UpdateRealServer(VirtualServiceKey service, RealServer server)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(server);
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteRealServer(request, FamilyId, service, server, update: true);
        (string operation, string? target) = Describe(IpvsOperationKind.UpdateRealServer, service, server);
        Execute(request, operation, target);
    }

    /// <summary>Removes the real server at <paramref name="address"/>:<paramref name="port"/>. ENOENT if missing.</summary>
    public void DeleteRealServer(VirtualServiceKey service, IPAddress address, ushort port)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(address);
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteDeleteRealServer(request, FamilyId, service, address, port);
        (string operation, string? target) = Describe(IpvsOperationKind.DeleteRealServer, service, new RealServer(address, port));
        Execute(request, operation, target);
    }

    /// <summary>Lists a service's real servers with their connections and counters (one dump). Empty if the service is missing.</summary>
    public IReadOnlyList<ObservedRealServer> ListRealServers(VirtualServiceKey service)
    {
        ArgumentNullException.ThrowIfNull(service);
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteListRealServers(request, FamilyId, service);
        return Dump(request, RealServerParser(service.Family), "list real servers of", service);
    }

    /// <summary>
    /// Streams a service's real servers to <paramref name="receiver"/> as the dump arrives. When the kernel interrupts
    /// the dump (NLM_F_DUMP_INTR) the receiver's OnRestart is called and the real servers come again from the first.
    /// </summary>
    public void ListRealServers(VirtualServiceKey service, IDumpReceiver<ObservedRealServer> receiver)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(receiver);
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteListRealServers(request, FamilyId, service);
        try
        {
            _connection.Dump(request, RealServerParser(service.Family), receiver, "list real servers of", service);
        }
        catch (NetlinkException e) when (IsDumpRefusal(e))
        {
            throw DumpRefused(e);
        }
    }

    /// <summary>A real server's address family is not in its reply; it is the service's.</summary>
    private static NetlinkMessageParser<ObservedRealServer> RealServerParser(AddressFamily family) =>
        message => IpvsReplyParser.ParseRealServerMessage(message, family);

    /// <summary>Reads the whole table: every service, then each one's real servers (one dump per service).</summary>
    public IReadOnlyList<IpvsServiceEntry> GetTable()
    {
        var table = new List<IpvsServiceEntry>();
        ReadTable(table.Add);
        return table;
    }

    /// <inheritdoc/>
    public void ReadTable(IDumpReceiver<IpvsServiceEntry> receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ReadTable(receiver.OnItem);
    }

    /// <summary>The one table read behind <see cref="GetTable"/> and <see cref="ReadTable(IDumpReceiver{IpvsServiceEntry})"/>.</summary>
    private void ReadTable(Action<IpvsServiceEntry> onEntry)
    {
        IReadOnlyList<ObservedVirtualService> services = ListServices();
        if (services.Count < ParallelDecodeThreshold)
        {
            foreach (ObservedVirtualService service in services)
            {
                onEntry(new IpvsServiceEntry(service, ListRealServers(service.Key)));
            }
            return;
        }
        TablePipeline.Read(this, services, onEntry);
    }

    /// <summary>Below this many services, decoding beside the dumps costs more in thread hand-offs than it saves.</summary>
    private const int ParallelDecodeThreshold = 256;

    /// <summary>Dumps one service's real servers as raw reply bytes (for <see cref="TablePipeline"/>), writing the request into <paramref name="request"/>.</summary>
    private void DumpRealServersRaw(NetlinkBuffer request, VirtualServiceKey service, IDumpReceiver<NetlinkMessage> raw)
    {
        request.Clear();
        IpvsRequestWriter.WriteListRealServers(request, FamilyId, service);
        try
        {
            _connection.Dump(request, raw, "list real servers of", service);
        }
        catch (NetlinkException e) when (IsDumpRefusal(e))
        {
            throw DumpRefused(e);
        }
    }

    /// <summary>A batch to fill with changes and pass to <see cref="Execute(IpvsBatch, NetlinkBatchOptions?)"/>.</summary>
    public IpvsBatch CreateBatch() => new(FamilyId);

    /// <summary>
    /// Sends every change in <paramref name="batch"/>, many per send, and waits for the kernel to process them.
    /// On failure throws <see cref="NetlinkBatchException"/> naming the first failed change; with the default
    /// options nothing is sent after the send that held it.
    /// </summary>
    public void Execute(IpvsBatch batch, NetlinkBatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            _connection.ExecuteBatch(batch.Buffer, batch.Describe, options);
        }
        catch (NetlinkException e) when (e.ErrorNumber == Errno.EPERM && e is not NetlinkBatchException)
        {
            throw WithPermissionHint(e);
        }
        catch (NetlinkBatchException e) when (e.ErrorNumber is Errno.ENOENT or Errno.EOPNOTSUPP)
        {
            // IPVS has its own ENOENTs (an unknown scheduler, a missing real server), and so has a family id that is
            // gone: one more round trip, on this failure only, tells them apart.
            if (new GenericNetlinkResolver(_connection).TryResolve(FamilyName)?.Id != FamilyId)
            {
                throw Gone(e);
            }
            throw;
        }
    }

    /// <summary>Zeroes the counters of one service, or of every service when <paramref name="service"/> is null (ipvsadm -Z).</summary>
    public void ZeroCounters(VirtualServiceKey? service = null)
    {
        using var request = new NetlinkBuffer(RequestSize);
        if (service is null)
        {
            IpvsRequestWriter.WriteCommand(request, FamilyId, CmdZero);
        }
        else
        {
            IpvsRequestWriter.WriteServiceKeyOnly(request, FamilyId, CmdZero, service);
        }
        Execute(request, "zero counters of", service?.ToString() ?? "all services");
    }

    /// <summary>Deletes every virtual service and real server (ipvsadm -C).</summary>
    public void Flush()
    {
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteCommand(request, FamilyId, CmdFlush);
        Execute(request, "flush", "the IPVS table");
    }

    /// <summary>Reads the TCP, TCP FIN and UDP timeouts.</summary>
    public IpvsTimeouts GetTimeouts()
    {
        return Query(CmdGetConfig, IpvsReplyParser.ParseTimeouts, "read timeouts") ?? throw new NetlinkProtocolException("no reply to IPVS_CMD_GET_CONFIG");
    }

    /// <summary>Sets the timeouts; a 0 leaves that one unchanged (ipvsadm --set).</summary>
    public void SetTimeouts(IpvsTimeouts timeouts)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteTimeouts(request, FamilyId, timeouts);
        Execute(request, "set timeouts", $"tcp {timeouts.Tcp} tcpfin {timeouts.TcpFin} udp {timeouts.Udp}");
    }

    /// <summary>Reads the IPVS version and connection table size.</summary>
    public IpvsInfo GetInfo()
    {
        return Query(CmdGetInfo, IpvsReplyParser.ParseInfo, "read IPVS version") ?? throw new NetlinkProtocolException("no reply to IPVS_CMD_GET_INFO");
    }

    /// <summary>Starts a connection-synchronisation daemon (ipvsadm --start-daemon).</summary>
    public void StartSyncDaemon(SyncDaemon daemon)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteStartDaemon(request, FamilyId, daemon);
        Execute(request, "start sync daemon", $"{daemon.State} on {daemon.InterfaceName}");
    }

    /// <summary>Stops the sync daemon of <paramref name="state"/> (ipvsadm --stop-daemon).</summary>
    public void StopSyncDaemon(SyncDaemonState state)
    {
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteStopDaemon(request, FamilyId, state);
        Execute(request, "stop sync daemon", state.ToString());
    }

    /// <summary>Lists the running sync daemons (at most one master and one backup).</summary>
    public IReadOnlyList<SyncDaemon> ListSyncDaemons()
    {
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteCommand(request, FamilyId, CmdGetDaemon);
        return Dump(request, IpvsReplyParser.ParseDaemonMessage, "list sync daemons", null);
    }

    /// <summary>Names an operation and its object the way error messages and logs show them.</summary>
    public static (string Operation, string? Target) Describe(IpvsOperationKind kind, VirtualServiceKey service, RealServer? server)
    {
        ArgumentNullException.ThrowIfNull(service);
        return kind switch
        {
            IpvsOperationKind.AddService => ("add virtual service", service.ToString()),
            IpvsOperationKind.UpdateService => ("edit virtual service", service.ToString()),
            IpvsOperationKind.DeleteService => ("delete virtual service", service.ToString()),
            IpvsOperationKind.AddRealServer => ("add real server", $"{server?.Endpoint} to {service}"),
            IpvsOperationKind.UpdateRealServer => ("edit real server", $"{server?.Endpoint} of {service}"),
            IpvsOperationKind.DeleteRealServer => ("delete real server", $"{server?.Endpoint} from {service}"),
            _ => (kind.ToString(), service.ToString()),
        };
    }

    private T? Query<T>(byte command, NetlinkMessageParser<T> parse, string operation)
    {
        using var request = new NetlinkBuffer(RequestSize);
        IpvsRequestWriter.WriteCommand(request, FamilyId, command);
        try
        {
            return _connection.Query(request, parse, operation, null);
        }
        catch (NetlinkException e) when (e.ErrorNumber == Errno.EPERM)
        {
            throw WithPermissionHint(e);
        }
    }

    private void Execute(NetlinkBuffer request, string operation, string? target)
    {
        try
        {
            _connection.Execute(request, operation, target);
        }
        catch (NetlinkException e) when (e.ErrorNumber == Errno.EPERM)
        {
            throw WithPermissionHint(e);
        }
    }

    private List<T> Dump<T>(NetlinkBuffer request, NetlinkMessageParser<T> parse, string operation, object? target)
    {
        try
        {
            return _connection.Dump(request, parse, operation, target);
        }
        catch (NetlinkException e) when (IsDumpRefusal(e))
        {
            throw DumpRefused(e);
        }
    }

    /// <summary>
    /// A refusal of a dump that means more than itself: EPERM (no CAP_NET_ADMIN), and ENOENT or EOPNOTSUPP, which IPVS
    /// never answers a dump with (a missing service dumps empty), but the generic netlink layer does when no family, or
    /// another one, has the id this client resolved: ip_vs was unloaded, or reloaded under a new id.
    /// </summary>
    private static bool IsDumpRefusal(NetlinkException e) =>
        e is not NetlinkProtocolException && e.ErrorNumber is Errno.EPERM or Errno.ENOENT or Errno.EOPNOTSUPP;

    private NetlinkException DumpRefused(NetlinkException e) => e.ErrorNumber == Errno.EPERM ? WithPermissionHint(e) : Gone(e);

    /// <summary>The family this client resolved no longer answers to its id: ip_vs was unloaded (and maybe loaded again under another).</summary>
    private IpvsUnavailableException Gone(NetlinkException e) =>
        new($"{e.Operation}{(e.Target is null ? null : " " + e.Target)} refused with {e.ErrorName}: generic netlink family id {FamilyId} is gone, so ip_vs was unloaded: load the ip_vs module and open a new client", e);

    private static NetlinkException WithPermissionHint(NetlinkException e) =>
        new(e.ErrorNumber, e.Operation, e.Target, e.KernelMessage, e.KernelOffset, PermissionHint);

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
