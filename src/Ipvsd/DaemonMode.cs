namespace Ipvsd;

/// <summary>What one run of ipvsd does.</summary>
internal enum DaemonMode
{
    /// <summary>Keep the node in sync until stopped.</summary>
    Serve,

    /// <summary>One sync, then report whether the node matches.</summary>
    Once,

    /// <summary>Remove everything ipvsd owns.</summary>
    Cleanup,

    /// <summary>Log the plan, change nothing.</summary>
    DryRun,
}
