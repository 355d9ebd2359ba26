using ServiceProxy.Planning;
using ServiceProxy.VirtualIps;

namespace ServiceProxy.Reconciling;

/// <summary>What one <see cref="ServiceReconciler.Sync"/> did (or, in a dry run, would do).</summary>
public sealed record SyncReport
{
    /// <summary>Whether the kernel was read whole (a first sync, a periodic resync, or after a failure).</summary>
    public required SyncKind Kind { get; init; }

    /// <summary>How long the sync took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Services the sync looked at.</summary>
    public int ServicesPlanned { get; init; }

    /// <summary>The IPVS changes applied (planned, in a dry run), in order; on a failure, only those before it.</summary>
    public IReadOnlyList<ServiceTableChange> Changes { get; init; } = [];

    /// <summary>Whether the connection timeouts were changed.</summary>
    public bool TimeoutsChanged { get; init; }

    /// <summary>
    /// Things found changed behind the reconciler's back and put back: services or real servers edited or deleted
    /// (counted per service), virtual IPs removed, rules changed or flushed. Only a full sync finds them.
    /// </summary>
    public int DriftRepairs { get; init; }

    /// <summary>Virtual IPs added and removed, or null when they were not looked at.</summary>
    public VirtualIpChanges? VirtualIps { get; init; }

    /// <summary>Whether the service rules were (re)installed.</summary>
    public bool RulesApplied { get; init; }

    /// <summary>
    /// Conntrack entries deleted: those of removed UDP and SCTP real servers and services, and those towards a UDP
    /// service that gained a real server which none of its real servers answers.
    /// </summary>
    public int ConntrackEntriesDeleted { get; init; }

    /// <summary>Why the sync did not finish; null when it did. The next sync reads the kernel whole.</summary>
    public Exception? Error { get; init; }

    /// <summary>Whether the sync finished.</summary>
    public bool Succeeded => Error is null;

    /// <summary>Whether the sync changed (or in a dry run, would change) nothing at all.</summary>
    public bool ChangedNothing => Changes.Count == 0 && !TimeoutsChanged && (VirtualIps?.IsEmpty ?? true) && !RulesApplied;
}
