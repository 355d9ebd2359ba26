namespace Netlink.Ipvs;

/// <summary>A connection-synchronisation daemon's role (IPVS_DAEMON_ATTR_STATE, IP_VS_STATE_*).</summary>
[Flags]
public enum SyncDaemonState
{
    /// <summary>IP_VS_STATE_NONE: stopped.</summary>
    None = 0,

    /// <summary>IP_VS_STATE_MASTER: sends connection updates.</summary>
    Master = 1,

    /// <summary>IP_VS_STATE_BACKUP: receives connection updates.</summary>
    Backup = 2,
}
