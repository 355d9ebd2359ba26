namespace Netlink.Netfilter.Conntrack;

/// <summary>Numbers from linux/netfilter/nfnetlink.h and nfnetlink_conntrack.h that this client uses.</summary>
internal static class ConntrackConstants
{
    /// <summary>NFNL_SUBSYS_CTNETLINK: the high byte of the message type.</summary>
    public const ushort SubsystemCtnetlink = 1;

    public const byte MsgCtGet = 1;
    public const byte MsgCtDelete = 2;

    /// <summary>NFNETLINK_V0.</summary>
    public const byte NfnetlinkV0 = 0;

    /// <summary>sizeof(struct nfgenmsg).</summary>
    public const int NfGenMsgSize = 4;

    public const ushort CtaTupleOrig = 1;
    public const ushort CtaTupleReply = 2;
    public const ushort CtaStatus = 3;
    public const ushort CtaTimeout = 7;
    public const ushort CtaMark = 8;
    public const ushort CtaId = 12;

    public const ushort CtaTupleIp = 1;
    public const ushort CtaTupleProto = 2;

    public const ushort CtaIpV4Src = 1;
    public const ushort CtaIpV4Dst = 2;
    public const ushort CtaIpV6Src = 3;
    public const ushort CtaIpV6Dst = 4;

    public const ushort CtaProtoNum = 1;
    public const ushort CtaProtoSrcPort = 2;
    public const ushort CtaProtoDstPort = 3;

}
