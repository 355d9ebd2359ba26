namespace Netlink.Route;

/// <summary>Numbers from linux/rtnetlink.h, if_link.h, if_addr.h and if.h that this client uses.</summary>
internal static class RouteConstants
{
    public const ushort RtmNewLink = 16;
    public const ushort RtmDelLink = 17;
    public const ushort RtmGetLink = 18;
    public const ushort RtmSetLink = 19;
    public const ushort RtmNewAddr = 20;
    public const ushort RtmDelAddr = 21;
    public const ushort RtmGetAddr = 22;

    /// <summary>sizeof(struct ifinfomsg).</summary>
    public const int IfInfoMsgSize = 16;

    /// <summary>sizeof(struct ifaddrmsg).</summary>
    public const int IfAddrMsgSize = 8;

    public const ushort IflaAddress = 1;
    public const ushort IflaIfname = 3;
    public const ushort IflaMtu = 4;
    public const ushort IflaOperstate = 16;
    public const ushort IflaLinkinfo = 18;
    public const ushort IflaInfoKind = 1;

    public const ushort IfaAddress = 1;
    public const ushort IfaLocal = 2;
    public const ushort IfaLabel = 3;
    public const ushort IfaFlags = 8;

    /// <summary>IFF_UP.</summary>
    public const uint IffUp = 0x1;

}
