namespace Ipvsctl.Ipvsadm;

/// <summary>ipvsadm's commands, numbered as its CMD_* constants so its option table applies row for row.</summary>
internal enum IpvsadmCommandKind
{
    None = 0,
    AddService = 1,
    EditService = 2,
    DeleteService = 3,
    Flush = 4,
    List = 5,
    AddServer = 6,
    DeleteServer = 7,
    EditServer = 8,
    SetTimeouts = 9,
    StartDaemon = 10,
    StopDaemon = 11,
    Restore = 12,
    Save = 13,
    Zero = 14,
}
