namespace Ipvsd;

/// <summary>ipvsd's exit statuses.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>--once: the node does not match (or the sync failed).</summary>
    public const int NotInSync = 1;

    /// <summary>The configuration or a services file is invalid.</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>The node cannot be used: no IPVS, no CAP_NET_ADMIN, no ownership record readable, an unsafe or unwritable state directory.</summary>
    public const int KernelUnavailable = 3;

    /// <summary>--cleanup failed part-way (running it again finishes).</summary>
    public const int CleanupFailed = 4;

    /// <summary>--once or --dry-run with the Kubernetes source: the API server did not list Services and EndpointSlices in time.</summary>
    public const int SourceUnavailable = 5;

    /// <summary>Another ipvsd holds the state directory's lock.</summary>
    public const int AlreadyRunning = 6;
}
