using System.Text;
using Netlink;
using Netlink.Ipvs;

namespace Ipvsctl.Ipvsadm;

/// <summary>
/// Runs parsed ipvsadm command lines on one IPVS socket. Changes read by -R are queued and sent as batches (many per
/// send), which is what makes a restore fast; anything that reads or prints first sends what is queued, so the kernel
/// sees the lines in order and each failure is reported, in order, as ipvsadm reports it.
/// </summary>
internal sealed class IpvsadmSession
{
    private readonly IpvsClient _client;
    private readonly IpvsInfo _info;
    private readonly CommandLineParser _parser;
    private readonly TextReader _stdin;
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;
    private readonly ListingFormatter _formatter;
    private readonly AddressText _addresses;
    /// <summary>Changes sent per hand-off: large enough to fill the kernel's sends, small enough to overlap well.</summary>
    private const int ChunkSize = 4096;

    private List<IpvsCall> _queuedCalls = [];
    private IpvsBatch? _batch;
    private IpvsBatch? _spare;
    private (Task<NetlinkBatchException?> Send, IpvsBatch Batch, List<IpvsCall> Calls)? _inFlight;

    public IpvsadmSession(IpvsClient client, IpvsInfo info, string program, bool posixMeHarder, TextReader stdin, TextWriter stdout, TextWriter stderr, NameLookup? names = null)
    {
        _client = client;
        _info = info;
        names ??= new NameLookup();
        _parser = new CommandLineParser(program, names, posixMeHarder);
        _addresses = new AddressText(names);
        _formatter = new ListingFormatter(_addresses);
        _stdin = stdin;
        _stdout = stdout;
        _stderr = stderr;
    }

    /// <summary>ipvsadm's process_options for one command line; returns the line's status (0, or -1 on failure).</summary>
    public int ProcessOptions(IReadOnlyList<string> args, bool readingStdin)
    {
        CommandEntry ce;
        try
        {
            ce = _parser.Parse(args);
        }
        catch (IpvsadmLineError error)
        {
            Flush();
            WriteError(error.Message);
            return -1;
        }
        catch (IpvsadmExit)
        {
            Flush();
            throw;
        }

        if (readingStdin && Enqueue(ce))
        {
            return 0;
        }
        Flush();
        switch (ce.Command)
        {
            case IpvsadmCommandKind.List:
                List(ce);
                return 0;
            case IpvsadmCommandKind.Restore:
                if (readingStdin)
                {
                    throw _parser.TryHelp();
                }
                return Restore();
            case IpvsadmCommandKind.Save:
                return ListAll(ce.Format | ListFormat.Rule);
            default:
                return Change(ce);
        }
    }

    /// <summary>ipvsadm's restore_table: every line of standard input; the status is the last line's.</summary>
    private int Restore()
    {
        _batch = _client.CreateBatch();
        try
        {
            int result = 0;
            var reader = new RestoreReader(_stdin);
            while (reader.ReadLine() is { } words)
            {
                result = ProcessOptions(words, readingStdin: true);
            }
            bool lastLineQueued = _queuedCallsWereLast;
            int last = Flush();
            return lastLineQueued ? last : result;
        }
        finally
        {
            if (_inFlight is { } pending)
            {
                // Only after a failure elsewhere: let the send finish before its buffer goes.
                try
                {
                    pending.Send.GetAwaiter().GetResult();
                }
                catch (NetlinkException)
                {
                }
                pending.Batch.Dispose();
                _inFlight = null;
            }
            _batch.Dispose();
            _spare?.Dispose();
            _batch = null;
            _spare = null;
        }
    }

    private bool _queuedCallsWereLast;
    private VirtualServiceKey? _lastKey;
    private ServiceSpec? _lastService;

    /// <summary>The service's key, reused from the previous line when it names the same service (restore files list
    /// a service's real servers one after another, and each key costs an address and a record to build).</summary>
    private VirtualServiceKey KeyOf(ServiceSpec service)
    {
        if (_lastKey is not null && _lastService is { } last && last.FirewallMark == service.FirewallMark
            && last.Protocol == service.Protocol && last.Endpoint.Family == service.Endpoint.Family
            && last.Endpoint.Port == service.Endpoint.Port && last.Endpoint.Address.AsSpan().SequenceEqual(service.Endpoint.Address))
        {
            return _lastKey;
        }
        _lastService = service;
        _lastKey = service.ToKey();
        return _lastKey;
    }

    /// <summary>Queues a change the batch can carry; false for anything else.</summary>
    private bool Enqueue(CommandEntry ce)
    {
        if (_batch is null)
        {
            return false;
        }
        try
        {
            switch (ce.Command)
            {
                case IpvsadmCommandKind.AddService:
                    _batch.AddService(ce.Service.ToVirtualService());
                    _queuedCalls.Add(IpvsCall.AddService);
                    break;
                case IpvsadmCommandKind.EditService:
                    _batch.UpdateService(ce.Service.ToVirtualService());
                    _queuedCalls.Add(IpvsCall.UpdateService);
                    break;
                case IpvsadmCommandKind.DeleteService:
                    _batch.DeleteService(KeyOf(ce.Service));
                    _queuedCalls.Add(IpvsCall.DeleteService);
                    break;
                case IpvsadmCommandKind.AddServer:
                    _batch.AddRealServer(KeyOf(ce.Service), ce.Destination.ToRealServer());
                    _queuedCalls.Add(IpvsCall.AddDestination);
                    break;
                case IpvsadmCommandKind.EditServer:
                    _batch.UpdateRealServer(KeyOf(ce.Service), ce.Destination.ToRealServer());
                    _queuedCalls.Add(IpvsCall.UpdateDestination);
                    break;
                case IpvsadmCommandKind.DeleteServer:
                    _batch.DeleteRealServer(KeyOf(ce.Service), ce.Destination.ToRealServer());
                    _queuedCalls.Add(IpvsCall.DeleteDestination);
                    break;
                default:
                    return false;
            }
        }
        catch (ArgumentException)
        {
            // Not expressible as a request (a name too long for the kernel): run it alone to report it in order.
            return false;
        }
        _queuedCallsWereLast = true;
        if (_batch.Count >= ChunkSize)
        {
            HandOff();
        }
        return true;
    }

    /// <summary>
    /// Sends the filled batch on a second thread while this one goes on parsing (in the VM parsing costs twice what
    /// the kernel does, so the two overlap). One send is in flight at a time, and its failures are reported before
    /// the next starts, so they still come out in line order.
    /// </summary>
    private void HandOff()
    {
        ReportInFlight();
        IpvsBatch batch = _batch!;
        _inFlight = (Task.Run(() => Send(batch)), batch, _queuedCalls);
        _batch = _spare ?? _client.CreateBatch();
        _spare = null;
        _queuedCalls = new List<IpvsCall>(ChunkSize);
    }

    private NetlinkBatchException? Send(IpvsBatch batch)
    {
        try
        {
            _client.Execute(batch, new NetlinkBatchOptions { StopAtFirstError = false });
            return null;
        }
        catch (NetlinkBatchException e)
        {
            return e;
        }
    }

    /// <summary>Waits for the send in flight, reports its failures; -1 when its last change failed.</summary>
    private int ReportInFlight()
    {
        if (_inFlight is not { } pending)
        {
            return 0;
        }
        _inFlight = null;
        NetlinkBatchException? failure = pending.Send.GetAwaiter().GetResult();
        int status = Report(failure, pending.Calls);
        pending.Batch.Clear();
        _spare = pending.Batch;
        return status;
    }

    private int Report(NetlinkBatchException? failure, List<IpvsCall> calls)
    {
        if (failure is null)
        {
            return 0;
        }
        int status = 0;
        _stdout.Flush();
        foreach (NetlinkOperationError error in failure.Errors)
        {
            _stderr.Write(KernelMessages.Describe(calls[error.Index], error.ErrorNumber) + "\n");
            if (error.Index == calls.Count - 1)
            {
                status = -1;
            }
        }
        return status;
    }

    /// <summary>Sends what is queued and reports each failure in order; returns the status of the last queued line.</summary>
    private int Flush()
    {
        _queuedCallsWereLast = false;
        int inFlightStatus = ReportInFlight();
        if (_batch is null || _batch.Count == 0)
        {
            return inFlightStatus;
        }
        try
        {
            return Report(Send(_batch), _queuedCalls);
        }
        finally
        {
            _batch.Clear();
            _queuedCalls.Clear();
        }
    }

    private int Change(CommandEntry ce)
    {
        (IpvsCall call, Action action) = ce.Command switch
        {
            IpvsadmCommandKind.Flush => (IpvsCall.Flush, (Action)_client.Flush),
            IpvsadmCommandKind.AddService => (IpvsCall.AddService, () => _client.AddService(ce.Service.ToVirtualService())),
            IpvsadmCommandKind.EditService => (IpvsCall.UpdateService, () => _client.UpdateService(ce.Service.ToVirtualService())),
            IpvsadmCommandKind.DeleteService => (IpvsCall.DeleteService, () => _client.DeleteService(ce.Service.ToKey())),
            IpvsadmCommandKind.Zero => (IpvsCall.ZeroService, () => _client.ZeroCounters(OptionRules.Has(ce.Options, OptionRules.Service) ? ce.Service.ToKey() : null)),
            IpvsadmCommandKind.AddServer => (IpvsCall.AddDestination, () => _client.AddRealServer(ce.Service.ToKey(), ce.Destination.ToRealServer())),
            IpvsadmCommandKind.EditServer => (IpvsCall.UpdateDestination, () => _client.UpdateRealServer(ce.Service.ToKey(), ce.Destination.ToRealServer())),
            IpvsadmCommandKind.DeleteServer => (IpvsCall.DeleteDestination, () => _client.DeleteRealServer(ce.Service.ToKey(), ce.Destination.Endpoint.ToIPAddress(), ce.Destination.Endpoint.Port)),
            IpvsadmCommandKind.SetTimeouts => (IpvsCall.SetTimeout, () => _client.SetTimeouts(ce.Timeouts)),
            IpvsadmCommandKind.StartDaemon => (IpvsCall.StartDaemon, () => _client.StartSyncDaemon(ce.ToSyncDaemon())),
            IpvsadmCommandKind.StopDaemon => (IpvsCall.StopDaemon, () => _client.StopSyncDaemon(ce.DaemonState)),
            _ => throw new InvalidOperationException($"command {ce.Command} is not a change"),
        };
        try
        {
            action();
            return 0;
        }
        catch (NetlinkException e)
        {
            WriteError(KernelMessages.Describe(call, e.ErrorNumber));
            return -1;
        }
        catch (ArgumentException)
        {
            WriteError(KernelMessages.Describe(call, Errno.EINVAL));
            return -1;
        }
    }

    private void List(CommandEntry ce)
    {
        ulong options = ce.Options;
        if (OptionRules.Has(options, OptionRules.Connection))
        {
            ListConnections(ce.Format);
        }
        else if (OptionRules.Has(options, OptionRules.Service))
        {
            ListService(ce);
        }
        else if (OptionRules.Has(options, OptionRules.Timeout))
        {
            IpvsTimeouts timeouts = Query(IpvsCall.GetTimeout, _client.GetTimeouts, silent: true);
            _stdout.Write(CText.Invariant($"Timeout (tcp tcpfin udp): {(int)timeouts.Tcp} {(int)timeouts.TcpFin} {(int)timeouts.Udp}\n"));
        }
        else if (OptionRules.Has(options, OptionRules.Daemon))
        {
            ListDaemons();
        }
        else
        {
            ListAll(ce.Format);
        }
    }

    /// <summary>ipvsadm's list_all: the header, the title, every service sorted (unless --nosort) with its real servers.</summary>
    public int ListAll(ListFormat format)
    {
        if ((format & ListFormat.Rule) == 0)
        {
            _stdout.Write(ListingFormatter.Header(_info));
        }
        var services = new List<ObservedVirtualService>(Query(IpvsCall.GetServices, _client.ListServices, silent: false));
        if ((format & ListFormat.NoSort) == 0)
        {
            ListingOrder.SortServices(services);
        }
        _stdout.Write(ListingFormatter.Title(format));
        var line = new StringBuilder(4096);
        var servers = new List<ObservedRealServer>();
        foreach (ObservedVirtualService service in services)
        {
            WriteService(service, format, line, servers);
        }
        return 0;
    }

    private void ListService(CommandEntry ce)
    {
        ObservedVirtualService? service;
        try
        {
            service = _client.GetService(ce.Service.ToKey());
        }
        catch (NetlinkException e)
        {
            throw new IpvsadmExit(1, KernelMessages.Describe(IpvsCall.GetService, e.ErrorNumber));
        }
        if (service is null)
        {
            throw new IpvsadmExit(1, KernelMessages.Describe(IpvsCall.GetService, Errno.ESRCH));
        }
        _stdout.Write(ListingFormatter.Title(ce.Format));
        WriteService(service, ce.Format, new StringBuilder(4096), []);
    }

    /// <summary>One service and its real servers: read, sorted and written one service at a time, so memory stays bounded.</summary>
    private void WriteService(ObservedVirtualService service, ListFormat format, StringBuilder line, List<ObservedRealServer> servers)
    {
        servers.Clear();
        try
        {
            _client.ListRealServers(service.Key, new RealServerList(servers));
        }
        catch (NetlinkException e)
        {
            throw new IpvsadmExit(1, KernelMessages.Describe(IpvsCall.GetDestinations, e.ErrorNumber));
        }
        if ((format & ListFormat.NoSort) == 0)
        {
            ListingOrder.SortServers(servers);
        }
        line.Clear();
        _formatter.WriteService(line, service, servers, format);
        _stdout.Write(line);
    }

    private void ListDaemons()
    {
        IReadOnlyList<SyncDaemon> daemons = Query(IpvsCall.GetDaemon, _client.ListSyncDaemons, silent: true);
        foreach (SyncDaemon daemon in daemons)
        {
            string? type = (daemon.State & SyncDaemonState.Master) != 0 ? "master" : (daemon.State & SyncDaemonState.Backup) != 0 ? "backup" : null;
            if (type is null)
            {
                continue;
            }
            var text = new StringBuilder();
            text.Append(CText.Invariant($"{type} sync daemon (mcast={daemon.InterfaceName}, syncid={daemon.SyncId}"));
            if (daemon.MaxLength is > 0)
            {
                text.Append(CText.Invariant($", maxlen={daemon.MaxLength}"));
            }
            if (daemon.MulticastGroup is not null)
            {
                text.Append(", group=").Append(daemon.MulticastGroup);
            }
            if (daemon.MulticastPort is > 0)
            {
                text.Append(CText.Invariant($", port={daemon.MulticastPort}"));
            }
            if (daemon.MulticastTtl is > 0)
            {
                text.Append(CText.Invariant($", ttl={daemon.MulticastTtl}"));
            }
            text.Append(")\n");
            _stdout.Write(text);
        }
    }

    private void ListConnections(ListFormat format)
    {
        StreamReader reader;
        try
        {
            reader = new StreamReader(ConnectionListing.ProcFile);
        }
        catch (IOException)
        {
            throw new IpvsadmExit(1, $"cannot open file {ConnectionListing.ProcFile}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new IpvsadmExit(1, $"cannot open file {ConnectionListing.ProcFile}");
        }
        using (reader)
        {
            new ConnectionListing(_addresses).Write(reader, _stdout, format);
        }
    }

    /// <summary>A read whose failure ends ipvsadm: with libipvs's message, or silently where ipvsadm just exits 1.</summary>
    private static T Query<T>(IpvsCall call, Func<T> read, bool silent)
    {
        try
        {
            return read();
        }
        catch (NetlinkException e)
        {
            throw new IpvsadmExit(1, silent ? string.Empty : KernelMessages.Describe(call, e.ErrorNumber));
        }
    }

    private void WriteError(string message)
    {
        _stdout.Flush();
        _stderr.Write(message + "\n");
    }
}
