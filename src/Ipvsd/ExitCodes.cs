namespace Ipvsd;

/// <summary>ipvsd's exit statuses.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>--once: the node does not match (or the sync failed).</summary>
    public const int NotInSync = 1;

    /// <summary>The configuration or a services file is invalid.</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>The kernel cannot be used: no IPVS, no CAP_NET_ADMIN, no ownership record readable.</summary>
    public const int KernelUnavailable = 3;

    /// <summary>--cleanup failed part-way (running it again finishes).</summary>
    public const int CleanupFailed = 4;
}
