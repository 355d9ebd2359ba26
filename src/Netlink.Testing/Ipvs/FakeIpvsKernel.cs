using System.Diagnostics.CodeAnalysis;
using Netlink.Generic;
using Netlink.Ipvs;
using static Netlink.Ipvs.Codec.IpvsConstants;

namespace Netlink.Testing;

/// <summary>
/// An in-memory Linux IPVS: the state of one network namespace's IPVS table and the generic netlink family "IPVS"
/// that reads and changes it, answering over the wire format as the kernel does, so the real
/// <see cref="IpvsClient"/> (or any netlink code) runs against it unchanged. It enforces the rules of
/// net/netfilter/ipvs/ip_vs_ctl.c (Linux 6.1 and 6.12) with the kernel's errno for each: EEXIST, ESRCH, ENOENT,
/// EINVAL, ERANGE, EAFNOSUPPORT, EOPNOTSUPP; each rule names the kernel function it mirrors. Acks and errors follow
/// NLM_F_ACK (an error is always sent, an ack only when asked), many requests per datagram are processed in order,
/// and dumps come as multipart datagrams packed like the kernel's, ending in NLMSG_DONE. Faults can be injected:
/// <see cref="RefuseChange"/>, <see cref="InterruptNextDumps"/>, <see cref="DenyPermission"/>.
/// Counters are always zero; connection counts are what <see cref="SetConnections"/> set. Thread-safe: every socket's requests are processed under one lock, as the kernel
/// serializes IPVS configuration with __ip_vs_mutex.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The scratch buffer's pooled array may simply be collected with the kernel; a fake that must be disposed would burden every test.")]
public sealed partial class FakeIpvsKernel
{
    /// <summary>A dump was answered: the kernel sends no ack for it (netlink_dump_start returns -EINTR).</summary>
    private const int Dumped = -1;

    private readonly object _gate = new();
    private readonly FakeIpvsKernelOptions _options;
    private readonly Dictionary<ServiceId, ServiceEntry> _services = [];
    private readonly LinkedList<ServiceEntry> _serviceOrder = new();
    private readonly Dictionary<long, int> _refusals = [];
    private readonly NetlinkBuffer _scratch = new(64 * 1024);
    private uint _nextPortId = 0x4000_0000;
    private int _interruptedDumps;
    private int _realServers;

    /// <summary>Creates an empty IPVS table with the default timeouts of <paramref name="options"/>.</summary>
    public FakeIpvsKernel(FakeIpvsKernelOptions? options = null)
    {
        _options = options ?? new FakeIpvsKernelOptions();
        ArgumentOutOfRangeException.ThrowIfZero(_options.Hz);
        _familyId = _options.FamilyId;
        _tcpJiffies = _options.Timeouts.Tcp * _options.Hz;
        _tcpFinJiffies = _options.Timeouts.TcpFin * _options.Hz;
        _udpJiffies = _options.Timeouts.Udp * _options.Hz;
    }

    /// <summary>The options this kernel was made with.</summary>
    public FakeIpvsKernelOptions Options => _options;

    /// <summary>The generic netlink id of "IPVS" here.</summary>
    public ushort FamilyId
    {
        get
        {
            lock (_gate)
            {
                return _familyId;
            }
        }
    }

    /// <summary>Virtual services in the table.</summary>
    public int ServiceCount
    {
        get
        {
            lock (_gate)
            {
                return _services.Count;
            }
        }
    }

    /// <summary>Real servers in the table, over all services.</summary>
    public int RealServerCount
    {
        get
        {
            lock (_gate)
            {
                return _realServers;
            }
        }
    }

    /// <summary>
    /// Change requests received so far, refused or not: NEW/SET/DEL_SERVICE, NEW/SET/DEL_DEST, ZERO, FLUSH,
    /// SET_CONFIG, NEW/DEL_DAEMON. <see cref="RefuseChange"/> counts the same way.
    /// </summary>
    public long ChangeCount { get; private set; }

    /// <summary>
    /// When true, every IPVS request fails with EPERM, as for a caller without CAP_NET_ADMIN (every IPVS command is
    /// GENL_ADMIN_PERM, reads too). The controller still answers, as it does for unprivileged callers.
    /// </summary>
    public bool DenyPermission { get; set; }

    /// <summary>
    /// Refuses the change request that makes <see cref="ChangeCount"/> reach <paramref name="changeNumber"/> with
    /// <paramref name="errno"/>, leaving the table as it was (1 = the next change when nothing was sent yet; use
    /// ChangeCount + n for the n-th change from now).
    /// </summary>
    public void RefuseChange(long changeNumber, int errno)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(errno);
        lock (_gate)
        {
            _refusals[changeNumber] = errno;
        }
    }

    /// <summary>Marks the next <paramref name="count"/> dumps NLM_F_DUMP_INTR, as when the table changed while they ran.</summary>
    public void InterruptNextDumps(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _interruptedDumps += count;
        }
    }

    /// <summary>Opens a netlink socket on this kernel, with a port id of its own.</summary>
    public FakeIpvsSocket OpenSocket()
    {
        lock (_gate)
        {
            return new FakeIpvsSocket(this, _nextPortId++);
        }
    }

    /// <summary>A <see cref="NetlinkConnection"/> over a new socket on this kernel.</summary>
    public NetlinkConnection OpenConnection() => new(OpenSocket());

    /// <summary>An <see cref="IpvsClient"/> over a new socket on this kernel; it resolves "IPVS" as against a real one.</summary>
    public IpvsClient OpenClient() => IpvsClient.Open(OpenConnection());

    /// <summary>Handles every message of one datagram in order, queueing each answer datagram on the socket.</summary>
    internal void Process(ReadOnlySpan<byte> datagram, uint portId, Queue<byte[]> replies, bool dumpRunning = false)
    {
        lock (_gate)
        {
            var reader = new NetlinkMessageReader(datagram);
            while (reader.TryRead(out NetlinkMessage message))
            {
                if ((message.Flags & NetlinkMessageFlags.Request) == 0 || message.Type < NetlinkMessageType.MinimumProtocolType)
                {
                    continue; // netlink_rcv_skb skips what is not a request, and control messages
                }
                int result = (message.Flags & NetlinkMessageFlags.Dump) == NetlinkMessageFlags.Dump && dumpRunning ? Errno.EBUSY // netlink_dump_start
                    : message.Type == GenericNetlinkResolver.ControllerId ? Controller(message, replies)
                    : message.Type != _familyId || !ModuleLoaded ? Errno.ENOENT // genl_rcv_msg: no family with that id
                    : message.Payload.Length < 4 ? Errno.EINVAL
                    : Ipvs(message, replies);
                if (result != Dumped && (result != 0 || (message.Flags & NetlinkMessageFlags.Ack) != 0))
                {
                    // netlink_rcv_skb: netlink_ack on an error, or on success when NLM_F_ACK asked; its own datagram.
                    _scratch.Clear();
                    IpvsReplyWriter.WriteError(_scratch, message, result);
                    replies.Enqueue(_scratch.WrittenSpan.ToArray());
                }
            }
        }
    }

    /// <summary>genl_family_rcv_msg: the command's doit or dumpit, EOPNOTSUPP when it has not the one asked for.</summary>
    private int Ipvs(in NetlinkMessage message, Queue<byte[]> replies)
    {
        byte command = message.Payload[0];
        bool dump = (message.Flags & NetlinkMessageFlags.Dump) == NetlinkMessageFlags.Dump;
        bool known = command is >= CmdNewService and <= CmdFlush and not CmdSetInfo;
        bool hasDump = command is CmdGetService or CmdGetDest or CmdGetDaemon;
        bool hasDo = command is not (CmdGetDest or CmdGetDaemon);
        if (!known || (dump ? !hasDump : !hasDo))
        {
            return Errno.EOPNOTSUPP;
        }
        if (DenyPermission)
        {
            return Errno.EPERM;
        }
        if (!TopLevel.TryParse(message.Payload[4..], out TopLevel top))
        {
            return Errno.EINVAL;
        }
        switch (command)
        {
            case CmdGetService when dump:
                DumpServices(message, replies);
                return Dumped;
            case CmdGetDest:
                DumpDestinations(message, top, replies);
                return Dumped;
            case CmdGetDaemon:
                DumpDaemons(message, replies);
                return Dumped;
            case CmdGetService or CmdGetConfig or CmdGetInfo:
                return Get(message, command, top, replies);
            default:
                ChangeCount++;
                if (_refusals.Remove(ChangeCount, out int refused))
                {
                    return refused;
                }
                return command is CmdNewDaemon or CmdDelDaemon ? Daemon(command, top) : Change(command, top);
        }
    }

    /// <summary>The generic netlink controller's CTRL_CMD_GETFAMILY, for "IPVS" only (ENOENT for other names).</summary>
    private int Controller(in NetlinkMessage message, Queue<byte[]> replies)
    {
        const byte CtrlCmdNewFamily = 1, CtrlCmdGetFamily = 3;
        const ushort FamilyIdAttr = 1, FamilyNameAttr = 2, VersionAttr = 3, HeaderSizeAttr = 4, MaxAttrAttr = 5;
        if (message.Payload.Length < 4 || message.Payload[0] != CtrlCmdGetFamily || (message.Flags & NetlinkMessageFlags.Dump) == NetlinkMessageFlags.Dump)
        {
            return Errno.EOPNOTSUPP;
        }
        bool asked = false;
        foreach (NetlinkAttribute attribute in message.GenericAttributes)
        {
            asked |= (attribute.Type == FamilyNameAttr && attribute.GetStringBytes().SequenceEqual("IPVS"u8))
                || (attribute.Type == FamilyIdAttr && attribute.Payload.Length == 2 && attribute.GetUInt16() == _familyId);
        }
        if (!asked || !ModuleLoaded)
        {
            return Errno.ENOENT;
        }
        _scratch.Clear();
        var writer = new NetlinkWriter(_scratch);
        NetlinkMessageToken m = writer.BeginMessage(GenericNetlinkResolver.ControllerId, NetlinkMessageFlags.None, message.Sequence, message.PortId);
        writer.WriteGenericHeader(CtrlCmdNewFamily, 2);
        writer.WriteString(FamilyNameAttr, FamilyName);
        writer.WriteUInt16(FamilyIdAttr, _familyId);
        writer.WriteUInt32(VersionAttr, GenlVersion);
        writer.WriteUInt32(HeaderSizeAttr, 0);
        writer.WriteUInt32(MaxAttrAttr, CmdAttrTimeoutUdp);
        writer.EndMessage(m);
        replies.Enqueue(_scratch.WrittenSpan.ToArray());
        return 0;
    }
}
