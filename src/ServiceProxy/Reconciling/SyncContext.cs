using Netlink.Ipvs;
using ServiceProxy.Planning;
using ServiceProxy.VirtualIps;

namespace ServiceProxy.Reconciling;

/// <summary>What one sync has read and done so far; becomes its <see cref="SyncReport"/>.</summary>
internal sealed class SyncContext(SyncKind kind, DateTimeOffset now)
{
    public SyncKind Kind { get; } = kind;

    public DateTimeOffset Now { get; } = now;

    public bool FullRead { get; set; }

    public int ServicesPlanned { get; set; }

    public int DriftRepairs { get; set; }

    public List<ServiceTableChange> Changes { get; } = [];

    public bool TimeoutsChanged { get; set; }

    public VirtualIpChanges? VirtualIps { get; set; }

    public bool RulesApplied { get; set; }

    public int ConntrackEntriesDeleted { get; set; }

    public Exception? Error { get; set; }

    /// <summary>Real servers with their connection counts, per service read during this sync.</summary>
    public Dictionary<VirtualServiceKey, IReadOnlyList<ObservedRealServer>> Connections { get; } = [];

    public SyncReport ToReport(TimeSpan duration) => new()
    {
        Kind = Kind,
        Duration = duration,
        ServicesPlanned = ServicesPlanned,
        Changes = Changes,
        TimeoutsChanged = TimeoutsChanged,
        DriftRepairs = DriftRepairs,
        VirtualIps = VirtualIps,
        RulesApplied = RulesApplied,
        ConntrackEntriesDeleted = ConntrackEntriesDeleted,
        Error = Error,
    };
}
