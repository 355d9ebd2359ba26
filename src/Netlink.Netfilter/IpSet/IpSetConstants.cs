namespace Netlink.Netfilter.IpSet;

/// <summary>
/// Numbers from linux/netfilter/ipset/ip_set.h for ipset over NETLINK_NETFILTER (subsystem NFNL_SUBSYS_IPSET,
/// protocol 7), checked against the headers by UapiConstantsTests.
/// </summary>
internal static class IpSetConstants
{
    /// <summary>NFNL_SUBSYS_IPSET: the high byte of the message type.</summary>
    public const ushort SubsystemIpSet = 6;

    /// <summary>IPSET_PROTOCOL: the version every request carries in IPSET_ATTR_PROTOCOL.</summary>
    public const byte Protocol = 7;

    /// <summary>IPSET_MAXNAMELEN: a set or type name with its NUL.</summary>
    public const int MaxNameLength = 32;

    public const byte CmdProtocol = 1;
    public const byte CmdCreate = 2;
    public const byte CmdDestroy = 3;
    public const byte CmdFlush = 4;
    public const byte CmdRename = 5;
    public const byte CmdSwap = 6;
    public const byte CmdList = 7;
    public const byte CmdSave = 8;
    public const byte CmdAdd = 9;
    public const byte CmdDel = 10;
    public const byte CmdTest = 11;
    public const byte CmdHeader = 12;
    public const byte CmdType = 13;

    // Command-level attributes
    public const ushort AttrProtocol = 1;
    public const ushort AttrSetName = 2;
    public const ushort AttrTypeName = 3;
    public const ushort AttrSetName2 = 3;
    public const ushort AttrRevision = 4;
    public const ushort AttrFamily = 5;
    public const ushort AttrFlags = 6;
    public const ushort AttrData = 7;
    public const ushort AttrAdt = 8;
    public const ushort AttrLineNo = 9;
    public const ushort AttrProtocolMin = 10;
    public const ushort AttrIndex = 11;

    // Data attributes (create, add, delete, test)
    public const ushort AttrIp = 1;
    public const ushort AttrIpTo = 2;
    public const ushort AttrCidr = 3;
    public const ushort AttrPort = 4;
    public const ushort AttrPortTo = 5;
    public const ushort AttrTimeout = 6;
    public const ushort AttrProto = 7;
    public const ushort AttrCadtFlags = 8;
    public const ushort AttrInitVal = 17;
    public const ushort AttrHashSize = 18;
    public const ushort AttrMaxElem = 19;
    public const ushort AttrBucketSize = 21;
    public const ushort AttrSize = 23;
    public const ushort AttrElements = 24;
    public const ushort AttrReferences = 25;
    public const ushort AttrMemSize = 26;
    public const ushort AttrIp2 = 20;
    public const ushort AttrCidr2 = 21;

    // Address attributes inside IPSET_ATTR_IP / IPSET_ATTR_IP2
    public const ushort AttrIpAddrIpv4 = 1;
    public const ushort AttrIpAddrIpv6 = 2;

    /// <summary>IPSET_ERR_PRIVATE: ipset's own errnos start here (IPSET_ERR_EXIST and the rest).</summary>
    public const int ErrPrivate = 4096;

    /// <summary>IPSET_ERR_EXIST: an element already in the set (add), or not in it (delete, test).</summary>
    public const int ErrExist = 4103;

    /// <summary>IPSET_ERR_PROTOCOL: a request the kernel could not parse.</summary>
    public const int ErrProtocol = 4097;
    public const int ErrFindType = 4098;
    public const int ErrMaxSets = 4099;
    public const int ErrBusy = 4100;
    public const int ErrExistSetName2 = 4101;
    public const int ErrTypeMismatch = 4102;
    public const int ErrInvalidCidr = 4104;
    public const int ErrInvalidNetmask = 4105;
    public const int ErrInvalidFamily = 4106;
    public const int ErrTimeout = 4107;
    public const int ErrReferenced = 4108;
    public const int ErrIpAddrIpv4 = 4109;
    public const int ErrIpAddrIpv6 = 4110;

    /// <summary>IPSET_ERR_TYPE_SPECIFIC: the first errno each set type defines for itself (hash full, bitmap range).</summary>
    public const int ErrTypeSpecific = 4352;

    /// <summary>IPSET_FLAG_LIST_HEADER (command flags of a list): the sets' headers without their elements.</summary>
    public const uint FlagListHeader = 4;

    /// <summary>IPSET_FLAG_EXIST (command flags): add, create, delete without EXIST errors.</summary>
    public const uint FlagExist = 1;
}
