namespace Netlink;

/// <summary>Control message types every netlink protocol shares (NLMSG_* in linux/netlink.h).</summary>
public static class NetlinkMessageType
{
    /// <summary>NLMSG_NOOP: ignore.</summary>
    public const ushort Noop = 1;

    /// <summary>NLMSG_ERROR: an error or, with error 0, an acknowledgement.</summary>
    public const ushort Error = 2;

    /// <summary>NLMSG_DONE: the end of a multipart reply.</summary>
    public const ushort Done = 3;

    /// <summary>NLMSG_OVERRUN: data was lost.</summary>
    public const ushort Overrun = 4;

    /// <summary>NLMSG_MIN_TYPE: the first type a protocol may use for its own messages.</summary>
    public const ushort MinimumProtocolType = 0x10;
}
