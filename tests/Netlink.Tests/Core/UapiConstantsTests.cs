using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Netlink.Generic;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;
using Netlink.Testing;

namespace Netlink.Tests.Core;

/// <summary>One number (or string) the code uses, and the C expression that gives the kernel's value for it.</summary>
/// <param name="C">A C expression over the uapi headers, such as <c>NLM_F_ACK</c> or <c>sizeof(struct nlattr)</c>.</param>
/// <param name="Expected">The C# value: a long, or a string for string checks.</param>
/// <param name="Where">What in the C# code holds the value (a member name, or a description).</param>
public sealed record UapiCheck(string C, object Expected, string Where);

/// <summary>
/// Compiles a C program against this machine's uapi headers, runs it, and checks that every kernel constant and struct
/// size the code uses equals what the headers say. Requires a C compiler (<c>cc</c>); fails, never skips, without one.
/// <para>To extend: add the header to <see cref="Headers"/>, a section of checks (see <see cref="NetlinkCore"/>) to
/// <see cref="AllChecks"/>, and the types that hold the constants to <see cref="AuditedTypes"/> so that a constant
/// added later without a check fails <see cref="Every_constant_of_the_audited_types_is_checked"/>.</para>
/// </summary>
public sealed partial class UapiConstantsTests
{
    /// <summary>Headers the program includes, in order.</summary>
    private static readonly string[] Headers =
    [
        "stdio.h", "string.h", "errno.h", "stddef.h", "sys/socket.h", "sys/time.h", "netinet/in.h",
        "linux/netlink.h", "linux/genetlink.h", "linux/netfilter.h", "linux/ip_vs.h",
        "linux/rtnetlink.h", "linux/if_link.h", "linux/if_addr.h", "linux/if.h",
        "linux/netfilter/nfnetlink.h", "linux/netfilter/nfnetlink_conntrack.h", "linux/netfilter/ipset/ip_set.h",
        "spawn.h", "signal.h",
    ];

    /// <summary>Every check, section by section.</summary>
    private static IEnumerable<UapiCheck> AllChecks() => [.. NetlinkCore(), .. GenericNetlink(), .. Errnos(), .. Ipvs(), .. Route(), .. Conntrack(), .. IpSet(), .. AddressFamilies(), .. Spawn()];

    /// <summary>Types whose every constant and enum member must have a check, or an entry in <see cref="NotKernelValues"/>.</summary>
    private static readonly Type[] AuditedTypes =
    [
        typeof(NetlinkMessageFlags), typeof(NetlinkMessageType), typeof(NetlinkProtocol), typeof(NetlinkWriter),
        typeof(NetlinkSocket), typeof(NetlinkConnection), typeof(GenericNetlinkResolver), typeof(Errno), typeof(LinuxAddressFamily),
        typeof(IpvsConstants), typeof(ForwardingMethod), typeof(ServiceFlags), typeof(TunnelFlags), typeof(TunnelType),
        typeof(IpvsProtocol), typeof(SyncDaemonState), typeof(Netlink.Route.RouteConstants),
        typeof(Netlink.Netfilter.Conntrack.ConntrackConstants), typeof(Netlink.Netfilter.IpSet.IpSetConstants),
        typeof(global::Ipvsctl.ChildProgram),
    ];

    /// <summary>Constants of audited types that are not kernel numbers, with the reason.</summary>
    private static readonly Dictionary<string, string> NotKernelValues = new(StringComparer.Ordinal)
    {
        ["Netlink.NetlinkConnection.MaxDumpAttempts"] = "library policy: how many interrupted dumps to retry",
        ["Netlink.Generic.GenericNetlinkResolver.Operation"] = "the words an error names the lookup with",
        ["Netlink.NetlinkMessageFlags.None"] = "no bits",
        ["Netlink.Ipvs.ServiceFlags.None"] = "no bits",
        ["Netlink.Ipvs.IpvsProtocol.None"] = "0 means 'no protocol' (a fwmark service), not IPPROTO_IP",
    };

    // ---- sections ----

    private static IEnumerable<UapiCheck> NetlinkCore() =>
    [
        Member(typeof(NetlinkProtocol), "Route", "NETLINK_ROUTE"),
        Member(typeof(NetlinkProtocol), "Netfilter", "NETLINK_NETFILTER"),
        Member(typeof(NetlinkProtocol), "Generic", "NETLINK_GENERIC"),

        Member(typeof(NetlinkMessageFlags), "Request", "NLM_F_REQUEST"),
        Member(typeof(NetlinkMessageFlags), "Multi", "NLM_F_MULTI"),
        Member(typeof(NetlinkMessageFlags), "Ack", "NLM_F_ACK"),
        Member(typeof(NetlinkMessageFlags), "Echo", "NLM_F_ECHO"),
        Member(typeof(NetlinkMessageFlags), "DumpInterrupted", "NLM_F_DUMP_INTR"),
        Member(typeof(NetlinkMessageFlags), "DumpFiltered", "NLM_F_DUMP_FILTERED"),
        Member(typeof(NetlinkMessageFlags), "Root", "NLM_F_ROOT"),
        Member(typeof(NetlinkMessageFlags), "Match", "NLM_F_MATCH"),
        Member(typeof(NetlinkMessageFlags), "Dump", "NLM_F_DUMP"),
        Member(typeof(NetlinkMessageFlags), "Replace", "NLM_F_REPLACE"),
        Member(typeof(NetlinkMessageFlags), "Exclusive", "NLM_F_EXCL"),
        Member(typeof(NetlinkMessageFlags), "Create", "NLM_F_CREATE"),
        Member(typeof(NetlinkMessageFlags), "Append", "NLM_F_APPEND"),
        Member(typeof(NetlinkMessageFlags), "Capped", "NLM_F_CAPPED"),
        Member(typeof(NetlinkMessageFlags), "AckTlvs", "NLM_F_ACK_TLVS"),

        Member(typeof(NetlinkMessageType), "Noop", "NLMSG_NOOP"),
        Member(typeof(NetlinkMessageType), "Error", "NLMSG_ERROR"),
        Member(typeof(NetlinkMessageType), "Done", "NLMSG_DONE"),
        Member(typeof(NetlinkMessageType), "Overrun", "NLMSG_OVERRUN"),
        Member(typeof(NetlinkMessageType), "MinimumProtocolType", "NLMSG_MIN_TYPE"),

        Member(typeof(NetlinkWriter), "MessageHeaderSize", "sizeof(struct nlmsghdr)"),
        Member(typeof(NetlinkWriter), "MessageHeaderSize", "NLMSG_HDRLEN"),
        Member(typeof(NetlinkWriter), "AttributeHeaderSize", "sizeof(struct nlattr)"),
        Member(typeof(NetlinkWriter), "AttributeHeaderSize", "NLA_HDRLEN"),
        Member(typeof(NetlinkWriter), "NestedFlag", "NLA_F_NESTED"),
        Member(typeof(NetlinkWriter), "NetworkByteOrderFlag", "NLA_F_NET_BYTEORDER"),
        Value("NLA_TYPE_MASK & 0xffff", new NetlinkAttribute(0xffff, []).Type, "NetlinkAttribute.Type's mask"),
        Value("NLMSG_ALIGN(5)", NetlinkWriter.Align(5), "NetlinkWriter.Align"),
        Value("NLA_ALIGN(13)", NetlinkWriter.Align(13), "NetlinkWriter.Align"),
        Value("sizeof(struct nlmsgerr)", 4 + NetlinkWriter.MessageHeaderSize, "NetlinkConnection: error code + echoed header"),
        Value("offsetof(struct nlmsgerr, msg)", 4, "NetlinkConnection: the echoed header follows the int error"),
        Value("sizeof(((struct nlmsghdr *)0)->nlmsg_len)", 4, "NetlinkMessageReader reads nlmsg_len as u32"),
        Value("offsetof(struct nlmsghdr, nlmsg_type)", 4, "NetlinkWriter.BeginMessage"),
        Value("offsetof(struct nlmsghdr, nlmsg_flags)", 6, "NetlinkWriter.BeginMessage"),
        Value("offsetof(struct nlmsghdr, nlmsg_seq)", 8, "NetlinkWriter.BeginMessage"),
        Value("offsetof(struct nlmsghdr, nlmsg_pid)", 12, "NetlinkWriter.BeginMessage"),
        Value("offsetof(struct nlattr, nla_type)", 2, "NetlinkWriter.WriteHeaderAndReserve"),
        Member(typeof(NetlinkConnection), "NlmsgerrAttrMsg", "NLMSGERR_ATTR_MSG"),
        Member(typeof(NetlinkConnection), "NlmsgerrAttrOffs", "NLMSGERR_ATTR_OFFS"),
        Member(typeof(KernelReplies), "NlmsgerrAttrMsg", "NLMSGERR_ATTR_MSG"),
        Member(typeof(KernelReplies), "NlmsgerrAttrOffs", "NLMSGERR_ATTR_OFFS"),

        Member(typeof(NetlinkSocket), "SolNetlink", "SOL_NETLINK"),
        Member(typeof(NetlinkSocket), "NetlinkCapAck", "NETLINK_CAP_ACK"),
        Member(typeof(NetlinkSocket), "NetlinkExtAck", "NETLINK_EXT_ACK"),
        Member(typeof(NetlinkSocket), "NetlinkGetStrictCheck", "NETLINK_GET_STRICT_CHK"),
        Member(typeof(NetlinkSocket), "SolSocket", "SOL_SOCKET"),
        Member(typeof(NetlinkSocket), "SoSndBuf", "SO_SNDBUF"),
        Member(typeof(NetlinkSocket), "SoRcvBuf", "SO_RCVBUF"),
        Member(typeof(NetlinkSocket), "SoSndBufForce", "SO_SNDBUFFORCE"),
        Member(typeof(NetlinkSocket), "SoRcvBufForce", "SO_RCVBUFFORCE"),
        Value("sizeof(struct sockaddr_nl)", InteropSize("SockaddrNetlink"), "Sys.SockaddrNetlink"),
        Value("offsetof(struct sockaddr_nl, nl_pid)", InteropOffset("SockaddrNetlink", "PortId"), "Sys.SockaddrNetlink.PortId"),
        Value("offsetof(struct sockaddr_nl, nl_groups)", InteropOffset("SockaddrNetlink", "Groups"), "Sys.SockaddrNetlink.Groups"),
        Value("sizeof(struct timeval)", InteropSize("TimeVal"), "Sys.TimeVal (SO_RCVTIMEO)"),
        Value("offsetof(struct timeval, tv_usec)", InteropOffset("TimeVal", "Microseconds"), "Sys.TimeVal.Microseconds"),
    ];

    private static IEnumerable<UapiCheck> GenericNetlink() =>
    [
        Member(typeof(GenericNetlinkResolver), "ControllerId", "GENL_ID_CTRL"),
        Member(typeof(GenericNetlinkResolver), "CtrlCmdGetFamily", "CTRL_CMD_GETFAMILY"),
        Member(typeof(GenericNetlinkResolver), "CtrlAttrFamilyId", "CTRL_ATTR_FAMILY_ID"),
        Member(typeof(GenericNetlinkResolver), "CtrlAttrFamilyName", "CTRL_ATTR_FAMILY_NAME"),
        Member(typeof(GenericNetlinkResolver), "CtrlAttrVersion", "CTRL_ATTR_VERSION"),
        Member(typeof(GenericNetlinkResolver), "CtrlAttrHeaderSize", "CTRL_ATTR_HDRSIZE"),
        Member(typeof(GenericNetlinkResolver), "CtrlAttrMaxAttr", "CTRL_ATTR_MAXATTR"),
        Member(typeof(GenericNetlinkResolver), "CtrlAttrMulticastGroups", "CTRL_ATTR_MCAST_GROUPS"),
        Member(typeof(GenericNetlinkResolver), "CtrlAttrMulticastGroupName", "CTRL_ATTR_MCAST_GRP_NAME"),
        Member(typeof(GenericNetlinkResolver), "CtrlAttrMulticastGroupId", "CTRL_ATTR_MCAST_GRP_ID"),
        Value("sizeof(struct genlmsghdr)", GenericHeaderLength(), "NetlinkWriter.WriteGenericHeader"),
        Value("GENL_HDRLEN", GenericHeaderLength(), "NetlinkWriter.WriteGenericHeader"),
        Value("CTRL_CMD_NEWFAMILY", 1, "GenericNetlinkResolverTests' fake controller"),
        Value("CTRL_ATTR_OPS", 6, "GenericNetlinkResolverTests' fake controller"),
        Value("CTRL_ATTR_OP_ID", 1, "GenericNetlinkResolverTests' fake controller"),
        Value("CTRL_ATTR_OP_FLAGS", 2, "GenericNetlinkResolverTests' fake controller"),
    ];

    private static IEnumerable<UapiCheck> Route()
    {
        Type t = typeof(Netlink.Route.RouteConstants);
        return
        [
            Member(t, "RtmNewLink", "RTM_NEWLINK"), Member(t, "RtmDelLink", "RTM_DELLINK"), Member(t, "RtmGetLink", "RTM_GETLINK"),
            Member(t, "RtmSetLink", "RTM_SETLINK"), Member(t, "RtmNewAddr", "RTM_NEWADDR"), Member(t, "RtmDelAddr", "RTM_DELADDR"),
            Member(t, "RtmGetAddr", "RTM_GETADDR"),
            Member(t, "IfInfoMsgSize", "sizeof(struct ifinfomsg)"), Member(t, "IfAddrMsgSize", "sizeof(struct ifaddrmsg)"),
            Member(t, "IflaAddress", "IFLA_ADDRESS"), Member(t, "IflaIfname", "IFLA_IFNAME"), Member(t, "IflaMtu", "IFLA_MTU"),
            Member(t, "IflaOperstate", "IFLA_OPERSTATE"), Member(t, "IflaLinkinfo", "IFLA_LINKINFO"), Member(t, "IflaInfoKind", "IFLA_INFO_KIND"),
            Member(t, "IfaAddress", "IFA_ADDRESS"), Member(t, "IfaLocal", "IFA_LOCAL"), Member(t, "IfaLabel", "IFA_LABEL"),
            Member(t, "IfaFlags", "IFA_FLAGS"), Member(t, "IffUp", "IFF_UP"),
            Value("IFA_F_NODAD", 0x02, "RouteClient.AddAddress"),
            Value("offsetof(struct ifinfomsg, ifi_index)", 4, "RouteClient.WriteInfo"),
            Value("offsetof(struct ifinfomsg, ifi_flags)", 8, "RouteClient.WriteInfo"),
            Value("offsetof(struct ifinfomsg, ifi_change)", 12, "RouteClient.WriteInfo"),
            Value("offsetof(struct ifaddrmsg, ifa_index)", 4, "RouteClient.ChangeAddress"),
        ];
    }

    private static IEnumerable<UapiCheck> AddressFamilies()
    {
        Type t = typeof(LinuxAddressFamily);
        return [Member(t, "Unspecified", "AF_UNSPEC"), Member(t, "Inet", "AF_INET"), Member(t, "Inet6", "AF_INET6")];
    }

    private static IEnumerable<UapiCheck> IpSet()
    {
        Type t = typeof(Netlink.Netfilter.IpSet.IpSetConstants);
        return
        [
            Member(t, "SubsystemIpSet", "NFNL_SUBSYS_IPSET"), Member(t, "Protocol", "IPSET_PROTOCOL"), Member(t, "MaxNameLength", "IPSET_MAXNAMELEN"),
            Member(t, "CmdProtocol", "IPSET_CMD_PROTOCOL"), Member(t, "CmdCreate", "IPSET_CMD_CREATE"), Member(t, "CmdDestroy", "IPSET_CMD_DESTROY"),
            Member(t, "CmdFlush", "IPSET_CMD_FLUSH"), Member(t, "CmdRename", "IPSET_CMD_RENAME"), Member(t, "CmdSwap", "IPSET_CMD_SWAP"),
            Member(t, "CmdList", "IPSET_CMD_LIST"), Member(t, "CmdSave", "IPSET_CMD_SAVE"), Member(t, "CmdAdd", "IPSET_CMD_ADD"),
            Member(t, "CmdDel", "IPSET_CMD_DEL"), Member(t, "CmdTest", "IPSET_CMD_TEST"), Member(t, "CmdHeader", "IPSET_CMD_HEADER"),
            Member(t, "CmdType", "IPSET_CMD_TYPE"),
            Member(t, "AttrProtocol", "IPSET_ATTR_PROTOCOL"), Member(t, "AttrSetName", "IPSET_ATTR_SETNAME"), Member(t, "AttrTypeName", "IPSET_ATTR_TYPENAME"),
            Member(t, "AttrSetName2", "IPSET_ATTR_SETNAME2"), Member(t, "AttrRevision", "IPSET_ATTR_REVISION"), Member(t, "AttrFamily", "IPSET_ATTR_FAMILY"),
            Member(t, "AttrFlags", "IPSET_ATTR_FLAGS"), Member(t, "AttrData", "IPSET_ATTR_DATA"), Member(t, "AttrAdt", "IPSET_ATTR_ADT"),
            Member(t, "AttrLineNo", "IPSET_ATTR_LINENO"), Member(t, "AttrProtocolMin", "IPSET_ATTR_PROTOCOL_MIN"), Member(t, "AttrIndex", "IPSET_ATTR_INDEX"),
            Member(t, "AttrIp", "IPSET_ATTR_IP"), Member(t, "AttrIpTo", "IPSET_ATTR_IP_TO"), Member(t, "AttrCidr", "IPSET_ATTR_CIDR"),
            Member(t, "AttrPort", "IPSET_ATTR_PORT"), Member(t, "AttrPortTo", "IPSET_ATTR_PORT_TO"), Member(t, "AttrTimeout", "IPSET_ATTR_TIMEOUT"),
            Member(t, "AttrProto", "IPSET_ATTR_PROTO"), Member(t, "AttrCadtFlags", "IPSET_ATTR_CADT_FLAGS"),
            Member(t, "AttrHashSize", "IPSET_ATTR_HASHSIZE"), Member(t, "AttrMaxElem", "IPSET_ATTR_MAXELEM"), Member(t, "AttrSize", "IPSET_ATTR_SIZE"),
            Member(t, "AttrElements", "IPSET_ATTR_ELEMENTS"), Member(t, "AttrReferences", "IPSET_ATTR_REFERENCES"), Member(t, "AttrMemSize", "IPSET_ATTR_MEMSIZE"),
            Member(t, "AttrIp2", "IPSET_ATTR_IP2"), Member(t, "AttrCidr2", "IPSET_ATTR_CIDR2"),
            Member(t, "AttrIpAddrIpv4", "IPSET_ATTR_IPADDR_IPV4"), Member(t, "AttrIpAddrIpv6", "IPSET_ATTR_IPADDR_IPV6"),
            Member(t, "ErrPrivate", "IPSET_ERR_PRIVATE"), Member(t, "ErrExist", "IPSET_ERR_EXIST"), Member(t, "FlagExist", "IPSET_FLAG_EXIST"),
            Member(t, "AttrInitVal", "IPSET_ATTR_INITVAL"), Member(t, "AttrBucketSize", "IPSET_ATTR_BUCKETSIZE"),
            Member(t, "ErrProtocol", "IPSET_ERR_PROTOCOL"), Member(t, "ErrFindType", "IPSET_ERR_FIND_TYPE"), Member(t, "ErrMaxSets", "IPSET_ERR_MAX_SETS"),
            Member(t, "ErrBusy", "IPSET_ERR_BUSY"), Member(t, "ErrExistSetName2", "IPSET_ERR_EXIST_SETNAME2"), Member(t, "ErrTypeMismatch", "IPSET_ERR_TYPE_MISMATCH"),
            Member(t, "ErrInvalidCidr", "IPSET_ERR_INVALID_CIDR"), Member(t, "ErrInvalidNetmask", "IPSET_ERR_INVALID_NETMASK"),
            Member(t, "ErrInvalidFamily", "IPSET_ERR_INVALID_FAMILY"), Member(t, "ErrTimeout", "IPSET_ERR_TIMEOUT"), Member(t, "ErrReferenced", "IPSET_ERR_REFERENCED"),
            Member(t, "ErrIpAddrIpv4", "IPSET_ERR_IPADDR_IPV4"), Member(t, "ErrIpAddrIpv6", "IPSET_ERR_IPADDR_IPV6"),
            Member(t, "ErrTypeSpecific", "IPSET_ERR_TYPE_SPECIFIC"), Member(t, "FlagListHeader", "IPSET_FLAG_LIST_HEADER"),
        ];
    }

    private static IEnumerable<UapiCheck> Conntrack()
    {
        Type t = typeof(Netlink.Netfilter.Conntrack.ConntrackConstants);
        return
        [
            Member(t, "SubsystemCtnetlink", "NFNL_SUBSYS_CTNETLINK"), Member(t, "MsgCtGet", "IPCTNL_MSG_CT_GET"),
            Member(t, "MsgCtDelete", "IPCTNL_MSG_CT_DELETE"), Member(t, "NfnetlinkV0", "NFNETLINK_V0"),
            Member(t, "NfGenMsgSize", "sizeof(struct nfgenmsg)"),
            Member(t, "CtaTupleOrig", "CTA_TUPLE_ORIG"), Member(t, "CtaTupleReply", "CTA_TUPLE_REPLY"), Member(t, "CtaStatus", "CTA_STATUS"),
            Member(t, "CtaTimeout", "CTA_TIMEOUT"), Member(t, "CtaMark", "CTA_MARK"), Member(t, "CtaId", "CTA_ID"),
            Member(t, "CtaTupleIp", "CTA_TUPLE_IP"), Member(t, "CtaTupleProto", "CTA_TUPLE_PROTO"),
            Member(t, "CtaIpV4Src", "CTA_IP_V4_SRC"), Member(t, "CtaIpV4Dst", "CTA_IP_V4_DST"),
            Member(t, "CtaIpV6Src", "CTA_IP_V6_SRC"), Member(t, "CtaIpV6Dst", "CTA_IP_V6_DST"),
            Member(t, "CtaProtoNum", "CTA_PROTO_NUM"), Member(t, "CtaProtoSrcPort", "CTA_PROTO_SRC_PORT"),
            Member(t, "CtaProtoDstPort", "CTA_PROTO_DST_PORT"),
        ];
    }

    /// <summary>ipvsctl's posix_spawn of modprobe (libc's headers, not the kernel's, but checked the same way).</summary>
    private static IEnumerable<UapiCheck> Spawn()
    {
        Type t = typeof(global::Ipvsctl.ChildProgram);
        return
        [
            Member(t, "SignalBrokenPipe", "SIGPIPE"),
            Member(t, "SignalCancel", "__SIGRTMIN"),
            Member(t, "SignalSetIds", "__SIGRTMIN + 1"),
            Member(t, "SpawnSetSignalDefaults", "POSIX_SPAWN_SETSIGDEF"),
            Member(t, "InterruptedCall", "EINTR"),
            Member(t, "SignalSetSize", "sizeof(sigset_t)"),
            // A buffer at least as large as the C type: the expression gives the buffer's size only when it is.
            Member(t, "SpawnAttributesSize", "(sizeof(posix_spawnattr_t) <= 1024 ? 1024 : sizeof(posix_spawnattr_t))"),
        ];
    }

    private static IEnumerable<UapiCheck> Errnos()
    {
        foreach (FieldInfo field in typeof(Errno).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
        {
            yield return Member(typeof(Errno), field.Name, field.Name);
            // Errno.Describe promises the C library's own text (what ipvsadm and friends print).
            yield return new UapiCheck($"strerror({field.Name})", Errno.Describe((int)field.GetRawConstantValue()!), $"Errno.Describe({field.Name})");
        }
    }

    private static List<UapiCheck> Ipvs()
    {
        Type c = typeof(IpvsConstants);
        // The C names differ from the C# ones in spelling only; this table says how, one entry per constant.
        var names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CmdNewService"] = "IPVS_CMD_NEW_SERVICE", ["CmdSetService"] = "IPVS_CMD_SET_SERVICE", ["CmdDelService"] = "IPVS_CMD_DEL_SERVICE",
            ["CmdGetService"] = "IPVS_CMD_GET_SERVICE", ["CmdNewDest"] = "IPVS_CMD_NEW_DEST", ["CmdSetDest"] = "IPVS_CMD_SET_DEST",
            ["CmdDelDest"] = "IPVS_CMD_DEL_DEST", ["CmdGetDest"] = "IPVS_CMD_GET_DEST", ["CmdNewDaemon"] = "IPVS_CMD_NEW_DAEMON",
            ["CmdDelDaemon"] = "IPVS_CMD_DEL_DAEMON", ["CmdGetDaemon"] = "IPVS_CMD_GET_DAEMON", ["CmdSetConfig"] = "IPVS_CMD_SET_CONFIG",
            ["CmdGetConfig"] = "IPVS_CMD_GET_CONFIG", ["CmdSetInfo"] = "IPVS_CMD_SET_INFO", ["CmdGetInfo"] = "IPVS_CMD_GET_INFO",
            ["CmdZero"] = "IPVS_CMD_ZERO", ["CmdFlush"] = "IPVS_CMD_FLUSH",
            ["CmdAttrService"] = "IPVS_CMD_ATTR_SERVICE", ["CmdAttrDest"] = "IPVS_CMD_ATTR_DEST", ["CmdAttrDaemon"] = "IPVS_CMD_ATTR_DAEMON",
            ["CmdAttrTimeoutTcp"] = "IPVS_CMD_ATTR_TIMEOUT_TCP", ["CmdAttrTimeoutTcpFin"] = "IPVS_CMD_ATTR_TIMEOUT_TCP_FIN", ["CmdAttrTimeoutUdp"] = "IPVS_CMD_ATTR_TIMEOUT_UDP",
            ["SvcAttrAf"] = "IPVS_SVC_ATTR_AF", ["SvcAttrProtocol"] = "IPVS_SVC_ATTR_PROTOCOL", ["SvcAttrAddr"] = "IPVS_SVC_ATTR_ADDR",
            ["SvcAttrPort"] = "IPVS_SVC_ATTR_PORT", ["SvcAttrFwmark"] = "IPVS_SVC_ATTR_FWMARK", ["SvcAttrSchedName"] = "IPVS_SVC_ATTR_SCHED_NAME",
            ["SvcAttrFlags"] = "IPVS_SVC_ATTR_FLAGS", ["SvcAttrTimeout"] = "IPVS_SVC_ATTR_TIMEOUT", ["SvcAttrNetmask"] = "IPVS_SVC_ATTR_NETMASK",
            ["SvcAttrStats"] = "IPVS_SVC_ATTR_STATS", ["SvcAttrPeName"] = "IPVS_SVC_ATTR_PE_NAME", ["SvcAttrStats64"] = "IPVS_SVC_ATTR_STATS64",
            ["DestAttrAddr"] = "IPVS_DEST_ATTR_ADDR", ["DestAttrPort"] = "IPVS_DEST_ATTR_PORT", ["DestAttrFwdMethod"] = "IPVS_DEST_ATTR_FWD_METHOD",
            ["DestAttrWeight"] = "IPVS_DEST_ATTR_WEIGHT", ["DestAttrUThresh"] = "IPVS_DEST_ATTR_U_THRESH", ["DestAttrLThresh"] = "IPVS_DEST_ATTR_L_THRESH",
            ["DestAttrActiveConns"] = "IPVS_DEST_ATTR_ACTIVE_CONNS", ["DestAttrInactConns"] = "IPVS_DEST_ATTR_INACT_CONNS",
            ["DestAttrPersistConns"] = "IPVS_DEST_ATTR_PERSIST_CONNS", ["DestAttrStats"] = "IPVS_DEST_ATTR_STATS",
            ["DestAttrAddrFamily"] = "IPVS_DEST_ATTR_ADDR_FAMILY", ["DestAttrStats64"] = "IPVS_DEST_ATTR_STATS64",
            ["DestAttrTunType"] = "IPVS_DEST_ATTR_TUN_TYPE", ["DestAttrTunPort"] = "IPVS_DEST_ATTR_TUN_PORT", ["DestAttrTunFlags"] = "IPVS_DEST_ATTR_TUN_FLAGS",
            ["DaemonAttrState"] = "IPVS_DAEMON_ATTR_STATE", ["DaemonAttrMcastIfn"] = "IPVS_DAEMON_ATTR_MCAST_IFN", ["DaemonAttrSyncId"] = "IPVS_DAEMON_ATTR_SYNC_ID",
            ["DaemonAttrSyncMaxlen"] = "IPVS_DAEMON_ATTR_SYNC_MAXLEN", ["DaemonAttrMcastGroup"] = "IPVS_DAEMON_ATTR_MCAST_GROUP",
            ["DaemonAttrMcastGroup6"] = "IPVS_DAEMON_ATTR_MCAST_GROUP6", ["DaemonAttrMcastPort"] = "IPVS_DAEMON_ATTR_MCAST_PORT",
            ["DaemonAttrMcastTtl"] = "IPVS_DAEMON_ATTR_MCAST_TTL",
            ["StatsAttrConns"] = "IPVS_STATS_ATTR_CONNS", ["StatsAttrInPkts"] = "IPVS_STATS_ATTR_INPKTS", ["StatsAttrOutPkts"] = "IPVS_STATS_ATTR_OUTPKTS",
            ["StatsAttrInBytes"] = "IPVS_STATS_ATTR_INBYTES", ["StatsAttrOutBytes"] = "IPVS_STATS_ATTR_OUTBYTES", ["StatsAttrCps"] = "IPVS_STATS_ATTR_CPS",
            ["StatsAttrInPps"] = "IPVS_STATS_ATTR_INPPS", ["StatsAttrOutPps"] = "IPVS_STATS_ATTR_OUTPPS", ["StatsAttrInBps"] = "IPVS_STATS_ATTR_INBPS",
            ["StatsAttrOutBps"] = "IPVS_STATS_ATTR_OUTBPS",
            ["InfoAttrVersion"] = "IPVS_INFO_ATTR_VERSION", ["InfoAttrConnTabSize"] = "IPVS_INFO_ATTR_CONN_TAB_SIZE",
            ["FamilyName"] = "IPVS_GENL_NAME", ["GenlVersion"] = "IPVS_GENL_VERSION", ["ForwardMask"] = "IP_VS_CONN_F_FWD_MASK",
            ["AddressSize"] = "sizeof(union nf_inet_addr)",
        };
        var checks = new List<UapiCheck>();
        foreach (FieldInfo field in c.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).Where(f => f.IsLiteral))
        {
            if (names.TryGetValue(field.Name, out string? cName))
            {
                checks.Add(Member(c, field.Name, cName));
            }
        }
        checks.AddRange(
        [
            Member(c, "NameMaxLength", "IP_VS_SCHEDNAME_MAXLEN"),
            Member(c, "NameMaxLength", "IP_VS_PENAME_MAXLEN"),
            Member(c, "NameMaxLength", "IP_VS_IFNAME_MAXLEN"),
            Value("sizeof(struct ip_vs_flags)", 8, "IpvsRequestWriter reserves 8 bytes for IPVS_SVC_ATTR_FLAGS"),

            Member(typeof(ForwardingMethod), "Masquerade", "IP_VS_CONN_F_MASQ"),
            Member(typeof(ForwardingMethod), "Local", "IP_VS_CONN_F_LOCALNODE"),
            Member(typeof(ForwardingMethod), "Tunnel", "IP_VS_CONN_F_TUNNEL"),
            Member(typeof(ForwardingMethod), "DirectRouting", "IP_VS_CONN_F_DROUTE"),
            Member(typeof(ForwardingMethod), "Bypass", "IP_VS_CONN_F_BYPASS"),

            Member(typeof(ServiceFlags), "Persistent", "IP_VS_SVC_F_PERSISTENT"),
            Member(typeof(ServiceFlags), "Hashed", "IP_VS_SVC_F_HASHED"),
            Member(typeof(ServiceFlags), "OnePacket", "IP_VS_SVC_F_ONEPACKET"),
            Member(typeof(ServiceFlags), "SchedulerFlag1", "IP_VS_SVC_F_SCHED1"),
            Member(typeof(ServiceFlags), "SchedulerFlag2", "IP_VS_SVC_F_SCHED2"),
            Member(typeof(ServiceFlags), "SchedulerFlag3", "IP_VS_SVC_F_SCHED3"),
            Member(typeof(ServiceFlags), "SourceHashFallback", "IP_VS_SVC_F_SCHED_SH_FALLBACK"),
            Member(typeof(ServiceFlags), "SourceHashPort", "IP_VS_SVC_F_SCHED_SH_PORT"),
            // The MH names live in the kernel's ip_vs_mh.c, not in uapi: they are SCHED1 and SCHED2 there.
            Member(typeof(ServiceFlags), "MaglevHashFallback", "IP_VS_SVC_F_SCHED1"),
            Member(typeof(ServiceFlags), "MaglevHashPort", "IP_VS_SVC_F_SCHED2"),

            Member(typeof(TunnelFlags), "None", "IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM"),
            Member(typeof(TunnelFlags), "Checksum", "IP_VS_TUNNEL_ENCAP_FLAG_CSUM"),
            Member(typeof(TunnelFlags), "RemoteChecksum", "IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM"),
            Member(typeof(TunnelType), "IpIp", "IP_VS_CONN_F_TUNNEL_TYPE_IPIP"),
            Member(typeof(TunnelType), "Gue", "IP_VS_CONN_F_TUNNEL_TYPE_GUE"),
            Member(typeof(TunnelType), "Gre", "IP_VS_CONN_F_TUNNEL_TYPE_GRE"),

            Member(typeof(IpvsProtocol), "Tcp", "IPPROTO_TCP"),
            Member(typeof(IpvsProtocol), "Udp", "IPPROTO_UDP"),
            Member(typeof(IpvsProtocol), "Sctp", "IPPROTO_SCTP"),

            Member(typeof(SyncDaemonState), "None", "IP_VS_STATE_NONE"),
            Member(typeof(SyncDaemonState), "Master", "IP_VS_STATE_MASTER"),
            Member(typeof(SyncDaemonState), "Backup", "IP_VS_STATE_BACKUP"),
        ]);
        return checks;
    }

    // ---- building checks ----

    /// <summary>A constant or enum member (public or not) of <paramref name="type"/>, read by reflection.</summary>
    private static UapiCheck Member(Type type, string name, string c)
    {
        FieldInfo field = type.GetField(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{type.FullName} has no constant {name}: update the table");
        if (!field.IsLiteral)
        {
            throw new InvalidOperationException($"{type.FullName}.{name} is not a constant");
        }
        object raw = field.GetRawConstantValue()!;
        return new UapiCheck(c, raw is string s ? s : Convert.ToInt64(raw, CultureInfo.InvariantCulture), $"{type.FullName}.{name}");
    }

    /// <summary>A value the code uses that is not a named constant (a size it writes, a mask it applies).</summary>
    private static UapiCheck Value(string c, long value, string where) => new(c, value, where);

    private static Type InteropType(string name) =>
        typeof(NetlinkSocket).Assembly.GetType("Netlink.Interop.Sys")!.GetNestedType(name, BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new InvalidOperationException($"Sys.{name} is gone: update the table");

    private static int InteropSize(string name) => Marshal.SizeOf(InteropType(name));

    private static long InteropOffset(string name, string field) => Marshal.OffsetOf(InteropType(name), field).ToInt64();

    private static int GenericHeaderLength()
    {
        using var buffer = new NetlinkBuffer();
        new NetlinkWriter(buffer).WriteGenericHeader(1, 1);
        return buffer.Length;
    }

    // ---- the C side ----

    private static string Program(IReadOnlyList<UapiCheck> checks)
    {
        var c = new StringBuilder();
        foreach (string header in Headers)
        {
            c.Append("#include <").Append(header).Append(">\n");
        }
        c.Append("\nint main(void)\n{\n");
        for (int i = 0; i < checks.Count; i++)
        {
            string format = checks[i].Expected is string ? "printf(\"%d=%s\\n\", {0}, {1});" : "printf(\"%d=%lld\\n\", {0}, (long long)({1}));";
            c.Append("    ").AppendFormat(CultureInfo.InvariantCulture, format, i, checks[i].C).Append('\n');
        }
        c.Append("    return 0;\n}\n");
        return c.ToString();
    }

    private static (int ExitCode, string Output, string Error) Run(string file, string arguments, string directory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"'{file}' could not be run ({e.Message}). This test needs a C compiler and the Linux uapi headers: install gcc (apt-get install gcc linux-libc-dev).");
            throw;
        }
        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{file} {arguments} did not finish in 120 s");
            }
            return (process.ExitCode, output.Result, error.Result);
        }
    }

    private static Dictionary<int, string> CompileAndRun(IReadOnlyList<UapiCheck> checks)
    {
        string directory = Directory.CreateTempSubdirectory("uapi-constants-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "uapi.c"), Program(checks));
            (int compiled, string compileOutput, string compileError) = Run("cc", "-std=gnu11 -Wall -Werror -o uapi uapi.c", directory);
            Assert.True(compiled == 0, $"cc failed on the generated program (a constant missing from this machine's headers?):\n{compileError}{compileOutput}\n{Program(checks)}");
            (int exit, string output, string error) = Run(Path.Combine(directory, "uapi"), "", directory);
            Assert.True(exit == 0, $"the generated program exited {exit}: {error}");
            var values = new Dictionary<int, string>();
            foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = line.IndexOf('=', StringComparison.Ordinal);
                values[int.Parse(line.AsSpan(0, equals), CultureInfo.InvariantCulture)] = line[(equals + 1)..];
            }
            return values;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // ---- the tests ----

    [Fact]
    public void Every_constant_and_struct_size_matches_the_uapi_headers()
    {
        List<UapiCheck> checks = [.. AllChecks()];
        Dictionary<int, string> values = CompileAndRun(checks);
        var mismatches = new List<string>();
        for (int i = 0; i < checks.Count; i++)
        {
            UapiCheck check = checks[i];
            if (!values.TryGetValue(i, out string? kernel))
            {
                mismatches.Add($"{check.C}: no output from the C program");
                continue;
            }
            string ours = check.Expected is string s ? s : Convert.ToString(check.Expected, CultureInfo.InvariantCulture)!;
            if (!string.Equals(ours, kernel, StringComparison.Ordinal))
            {
                mismatches.Add($"{check.C} is {kernel} in the headers, but {check.Where} is {ours}");
            }
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {checks.Count} values differ from /usr/include:\n" + string.Join('\n', mismatches));
        Assert.True(checks.Count > 150, $"only {checks.Count} checks: a section went missing");
    }

    [Fact]
    public void Every_constant_of_the_audited_types_is_checked()
    {
        var checkedMembers = new HashSet<string>(AllChecks().Select(c => c.Where), StringComparer.Ordinal);
        var unchecked_ = new List<string>();
        foreach (Type type in AuditedTypes)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).Where(f => f.IsLiteral))
            {
                string name = $"{type.FullName}.{field.Name}";
                if (!checkedMembers.Contains(name) && !NotKernelValues.ContainsKey(name))
                {
                    unchecked_.Add(name);
                }
            }
        }
        Assert.True(unchecked_.Count == 0, "constants with no check against the uapi headers (add them to UapiConstantsTests, or to NotKernelValues with a reason):\n" + string.Join('\n', unchecked_));
    }
}
