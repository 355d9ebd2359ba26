namespace ServiceProxy.Reconciling;

/// <summary>How much of the kernel a sync reads.</summary>
public enum SyncKind
{
    /// <summary>Only what changed since the last sync, planned against the reconciler's own view: no table read.</summary>
    Incremental,

    /// <summary>The whole IPVS table, the virtual IPs and the rules read back, so drift is found and repaired.</summary>
    Full,
}
