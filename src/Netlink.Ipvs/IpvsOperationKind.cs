namespace Netlink.Ipvs;

/// <summary>The kinds of change an <see cref="IpvsBatch"/> can carry.</summary>
public enum IpvsOperationKind
{
    /// <summary>IPVS_CMD_NEW_SERVICE.</summary>
    AddService,

    /// <summary>IPVS_CMD_SET_SERVICE.</summary>
    UpdateService,

    /// <summary>IPVS_CMD_DEL_SERVICE.</summary>
    DeleteService,

    /// <summary>IPVS_CMD_NEW_DEST.</summary>
    AddRealServer,

    /// <summary>IPVS_CMD_SET_DEST.</summary>
    UpdateRealServer,

    /// <summary>IPVS_CMD_DEL_DEST.</summary>
    DeleteRealServer,
}
