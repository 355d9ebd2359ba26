using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Netlink;
using Netlink.Ipvs;
using Netlink.Netfilter.Conntrack;
using ServiceProxy.Planning;
using ServiceProxy.Rules;
using ServiceProxy.VirtualIps;

namespace ServiceProxy.Reconciling;

/// <summary>
/// Keeps the node equal to a desired service table: the IPVS services and real servers it owns, the virtual IPs on
/// the dummy interface, the service rules and the timeouts. Incremental: a change is planned against the reconciler's
/// own view of the kernel and costs work for the services it touches only; a full sync reads the kernel whole and
/// repairs drift. It changes only what it owns (services in its desired table or in its ownership record), never
/// flushes, adopts matching services in place, drains removed TCP real servers at weight 0, deletes removed UDP and
/// SCTP real servers at once with their conntrack entries, deletes the conntrack entries towards a UDP service that
/// gained a real server which none of its real servers answers, and applies health-check results (inhibit: weight 0;
/// remove: taken out). The virtual IPs and rules are the desired services' addresses, or as the owner gives them
/// (<see cref="ReconcilerOptions.VirtualIpsAndRules"/>). Not thread-safe: one thread owns it and its clients.
/// </summary>
public sealed partial class ServiceReconciler
{
    private readonly IIpvsClient _ipvs;
    private readonly IOwnershipStore _ownership;
    private readonly ReconcilerOptions _options;
    private readonly ILogger _logger;

    private readonly Dictionary<VirtualServiceKey, DesiredService> _desired = [];
    private readonly HashSet<VirtualServiceKey> _owned;
    private readonly HashSet<VirtualServiceKey> _dirty = [];
    private readonly KernelView _view = new();
    private readonly Dictionary<(VirtualServiceKey Service, IPAddress Address, ushort Port), DateTimeOffset> _draining = [];
    private readonly HashSet<IPAddress> _bound = [];
    private IpvsTimeouts? _desiredTimeouts;
    private ServiceRuleSet? _rulesInstalled;
    private bool _viewTrusted;
    private bool _virtualIpsDirty;
    private bool _rulesDirty;
    private bool _timeoutsDirty;
    private int _desiredRealServers;
    private DateTimeOffset _lastDrainCheck = DateTimeOffset.MinValue;

    /// <summary>
    /// A reconciler over <paramref name="ipvs"/> (which the caller keeps owning) that records what it owns in
    /// <paramref name="ownership"/>; the record is read now. Nothing is read from or written to the kernel until
    /// <see cref="Sync"/>.
    /// </summary>
    public ServiceReconciler(IIpvsClient ipvs, IOwnershipStore ownership, ReconcilerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(ipvs);
        ArgumentNullException.ThrowIfNull(ownership);
        _ipvs = ipvs;
        _ownership = ownership;
        _options = options ?? ReconcilerOptions.Default;
        _logger = logger ?? NullLogger.Instance;
        _owned = [.. ownership.Load()];
    }

    /// <summary>Binds the services' virtual IPs; null to leave addresses alone.</summary>
    public VirtualIpBinder? VirtualIps { get; init; }

    /// <summary>Installs the service rules; null for none.</summary>
    public IServiceRulesBackend? Rules { get; init; }

    /// <summary>
    /// Deletes conntrack entries of removed UDP and SCTP real servers, and the unanswered ones of UDP services that gained
    /// real servers; null to leave conntrack alone.
    /// </summary>
    public IConntrackClient? Conntrack { get; init; }

    /// <summary>The health-check results to apply to services that have a check.</summary>
    public IRealServerHealth Health { get; init; } = NoHealthChecks.Instance;

    /// <summary>The clock for drain deadlines.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Services desired.</summary>
    public int ServiceCount => _desired.Count;

    /// <summary>Real servers desired, over all services.</summary>
    public int RealServerCount => _desiredRealServers;

    /// <summary>Removed real servers kept at weight 0 until their connections end.</summary>
    public int DrainingCount => _draining.Count;

    /// <summary>The services owned: desired now, or created before and not yet deleted.</summary>
    public IReadOnlyCollection<VirtualServiceKey> Owned => _owned;

    /// <summary>Whether a sync has work to do: a desired change, a health change, or a view to rebuild.</summary>
    public bool HasPendingChanges => !_viewTrusted || _dirty.Count > 0 || _virtualIpsDirty || _rulesDirty || _timeoutsDirty;

    /// <summary>When draining real servers should next be looked at; null when none drains.</summary>
    public DateTimeOffset? NextDrainCheck
    {
        get
        {
            if (_draining.Count == 0)
            {
                return null;
            }
            // every check interval, and at the moment the first drain runs out of time, so a timeout is exact
            DateTimeOffset next = _lastDrainCheck + _options.DrainCheckInterval;
            foreach (DateTimeOffset since in _draining.Values)
            {
                DateTimeOffset deadline = since + _options.DrainTimeout;
                next = deadline < next ? deadline : next;
            }
            return next;
        }
    }

    /// <summary>Whether the next sync will compare the virtual IPs or the rules with the node's (for tests).</summary>
    internal bool VirtualIpsOrRulesPending => _virtualIpsDirty || _rulesDirty;

    /// <summary>The desired settings of one service, or null.</summary>
    public DesiredService? FindDesired(VirtualServiceKey key) => _desired.GetValueOrDefault(key);

    /// <summary>
    /// Takes a change of the desired table: <paramref name="changed"/> services are added or replace their earlier
    /// settings, <paramref name="removed"/> ones are no longer wanted. Costs work for these services only; the kernel
    /// is changed by the next <see cref="Sync"/>.
    /// </summary>
    public void SetDesired(IEnumerable<DesiredService> changed, IEnumerable<VirtualServiceKey> removed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(removed);
        foreach (VirtualServiceKey key in removed)
        {
            if (_desired.Remove(key, out DesiredService? old))
            {
                Count(old, -1);
                _dirty.Add(key);
            }
        }
        foreach (DesiredService service in changed)
        {
            ArgumentNullException.ThrowIfNull(service);
            VirtualServiceKey key = service.Service.Key;
            if (_desired.TryGetValue(key, out DesiredService? old))
            {
                // Same key, so the same virtual IP and rule: only the real servers are counted again. (Counting the
                // service out and in would mark every address and rule for a look, a dump of 10,000 addresses per edit.)
                _desiredRealServers += service.RealServers.Count - old.RealServers.Count;
            }
            else
            {
                Count(service, +1);
            }
            _desired[key] = service;
            _dirty.Add(key);
        }
    }

    /// <summary>Sets the timeouts to enforce (null: leave the kernel's alone).</summary>
    public void SetTimeouts(IpvsTimeouts? timeouts)
    {
        if (!Equals(timeouts, _desiredTimeouts))
        {
            _desiredTimeouts = timeouts;
            _timeoutsDirty = timeouts is not null;
        }
    }

    /// <summary>Makes the next sync look at <paramref name="key"/> again (a health check of one of its real servers changed).</summary>
    public void MarkDirty(VirtualServiceKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _dirty.Add(key);
    }

    /// <summary>
    /// Makes the node match the desired table: <see cref="SyncKind.Full"/> reads the kernel whole first (and is what
    /// an incremental sync becomes before the first full one and after any failure). Never throws for the kernel's
    /// refusals or I/O errors: they are in the report, and the next sync reads the kernel whole.
    /// </summary>
    public SyncReport Sync(SyncKind kind)
    {
        long started = Stopwatch.GetTimestamp();
        var context = new SyncContext(!_viewTrusted ? SyncKind.Full : kind, Time.GetUtcNow());
        try
        {
            Run(context);
        }
        catch (Exception e) when (e is NetlinkException or IOException or IptablesException or InvalidOperationException or ServiceTableApplyException or UnauthorizedAccessException)
        {
            _viewTrusted = false;
            context.Error = e; // the report carries it; the caller logs it once
        }
        return context.ToReport(Stopwatch.GetElapsedTime(started));
    }

    private void Run(SyncContext context)
    {
        if (context.Kind == SyncKind.Full)
        {
            ReadKernel(context);
        }
        if (_draining.Count > 0 && context.Now >= NextDrainCheck)
        {
            _lastDrainCheck = context.Now;
            foreach (var draining in _draining.Keys)
            {
                _dirty.Add(draining.Service);
            }
        }
        ApplyServices(context);
        ApplyVirtualIps(context);
        ApplyRules(context);
    }

    private void ApplyServices(SyncContext context)
    {
        if (_dirty.Count == 0 && !_timeoutsDirty)
        {
            return;
        }
        var current = new List<IpvsServiceEntry>(_dirty.Count);
        var wanted = new List<DesiredService>(_dirty.Count);
        var adopt = new List<VirtualServiceKey>();
        foreach (VirtualServiceKey key in _dirty)
        {
            if (_view.Find(key) is { } held)
            {
                current.Add(held.ToEntry());
            }
            if (Effective(key, context) is { } service)
            {
                wanted.Add(service);
                if (!_owned.Contains(key))
                {
                    adopt.Add(key);
                }
            }
        }
        context.ServicesPlanned = _dirty.Count;
        IpvsTimeouts? kernelTimeouts = _timeoutsDirty ? _ipvs.GetTimeouts() : null;
        ServiceTablePlan plan = ServiceTablePlanner.Plan(current, kernelTimeouts, new DesiredServiceTable(wanted, _timeoutsDirty ? _desiredTimeouts : null));
        if (_options.DryRun)
        {
            context.Changes.AddRange(plan.Changes);
            context.TimeoutsChanged = plan.Timeouts is not null;
            _dirty.Clear();
            return;
        }

        // Recorded before the kernel has them: a crash between the two leaves a service owned that may not exist
        // (harmless), never one that exists unowned (which no later run would dare delete).
        if (adopt.Count > 0)
        {
            _owned.UnionWith(adopt);
            _ownership.Save(_owned);
        }
        int applied = plan.Changes.Count;
        try
        {
            if (!plan.IsEmpty)
            {
                ServiceTableApplier.Apply(_ipvs, plan, _options.Batch);
            }
        }
        catch (ServiceTableApplyException e)
        {
            applied = e.FailedStep;
            _viewTrusted = false;
            context.Error = e;
        }
        for (int i = 0; i < applied && i < plan.Changes.Count; i++)
        {
            _view.Apply(plan.Changes[i]);
            context.Changes.Add(plan.Changes[i]);
        }
        context.TimeoutsChanged = context.Error is null && plan.Timeouts is not null;
        _timeoutsDirty = false;
        _dirty.Clear();
        ForgetDeleted(context);
        DeleteConntrackEntries(context);
    }

    /// <summary>Releases ownership of services deleted and no longer desired, and drain records of real servers gone.</summary>
    private void ForgetDeleted(SyncContext context)
    {
        bool released = false;
        foreach (ServiceTableChange change in context.Changes)
        {
            if (change.Kind == IpvsOperationKind.DeleteService && !_desired.ContainsKey(change.Service.Key))
            {
                released |= _owned.Remove(change.Service.Key);
            }
        }
        if (context.FullRead)
        {
            // Owned but absent from the kernel and not desired: deleted by someone else, nothing left to own.
            released |= _owned.RemoveWhere(key => !_desired.ContainsKey(key) && _view.Find(key) is null) > 0;
        }
        if (released)
        {
            _ownership.Save(_owned);
        }
        if (_draining.Count > 0)
        {
            foreach (var draining in _draining.Keys.ToList())
            {
                if (_view.Find(draining.Service) is not { } service || !service.RealServers.ContainsKey((draining.Address, draining.Port)))
                {
                    _draining.Remove(draining);
                    LogDrained(_logger, new DrainedEndpoint(draining.Address, draining.Port), draining.Service);
                }
            }
        }
    }

    private void Count(DesiredService service, int delta)
    {
        _desiredRealServers += delta * service.RealServers.Count;
        CountAddressUse(service.Service.Key, delta);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "real server {RealServer} of {Service} drained and deleted")]
    private static partial void LogDrained(ILogger logger, DrainedEndpoint realServer, VirtualServiceKey service);

    /// <summary>Formats only when logged.</summary>
    private readonly record struct DrainedEndpoint(IPAddress Address, ushort Port)
    {
        public override string ToString() => EndpointText.Format(Address, Port);
    }
}
