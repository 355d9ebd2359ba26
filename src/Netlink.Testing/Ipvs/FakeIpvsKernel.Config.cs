using static Netlink.Ipvs.Codec.IpvsConstants;

namespace Netlink.Testing;

public sealed partial class FakeIpvsKernel
{
    private uint _tcpJiffies;
    private uint _tcpFinJiffies;
    private uint _udpJiffies;

    /// <summary>
    /// ip_vs_genl_set_config then ip_vs_set_timeout: the current timeouts, overridden by those given (each an int, so
    /// a u32 above INT_MAX is negative), EINVAL unless each is within 0..INT_MAX / HZ, then every non-zero one set.
    /// </summary>
    private int SetTimeouts(in TopLevel top)
    {
        uint hz = _options.Hz;
        int tcp = unchecked((int)(top.TimeoutTcp ?? _tcpJiffies / hz));
        int tcpFin = unchecked((int)(top.TimeoutTcpFin ?? _tcpFinJiffies / hz));
        int udp = unchecked((int)(top.TimeoutUdp ?? _udpJiffies / hz));
        int limit = (int)(int.MaxValue / hz);
        if (tcp < 0 || tcp > limit || tcpFin < 0 || tcpFin > limit || udp < 0 || udp > limit)
        {
            return Errno.EINVAL;
        }
        if (tcp != 0)
        {
            _tcpJiffies = (uint)tcp * hz;
        }
        if (tcpFin != 0)
        {
            _tcpFinJiffies = (uint)tcpFin * hz;
        }
        if (udp != 0)
        {
            _udpJiffies = (uint)udp * hz;
        }
        return 0;
    }

    /// <summary>
    /// ip_vs_genl_get_cmd: one reply message (then the ack, when asked). GET_SERVICE answers IPVS_CMD_NEW_SERVICE
    /// (EINVAL for a malformed key, ESRCH for a missing service); GET_CONFIG answers IPVS_CMD_SET_CONFIG with the
    /// three timeouts; GET_INFO answers IPVS_CMD_SET_INFO with the version and connection table size.
    /// </summary>
    private int Get(in NetlinkMessage message, byte command, in TopLevel top, Queue<byte[]> replies)
    {
        _scratch.Clear();
        if (command == CmdGetService)
        {
            int error = IpvsRequests.ParseService(top.Service, top.HasService, full: false, out ServiceRequest request);
            if (error != 0)
            {
                return error;
            }
            if (!_services.TryGetValue(request.Id, out ServiceEntry? service))
            {
                return Errno.ESRCH;
            }
            IpvsReplyWriter.WriteService(_scratch, _familyId, message.Sequence, message.PortId, NetlinkMessageFlags.None, service, _options.Hz);
        }
        else if (command == CmdGetConfig)
        {
            uint hz = _options.Hz;
            IpvsReplyWriter.WriteU32Reply(_scratch, _familyId, message, CmdSetConfig,
                [(CmdAttrTimeoutTcp, _tcpJiffies / hz), (CmdAttrTimeoutTcpFin, _tcpFinJiffies / hz), (CmdAttrTimeoutUdp, _udpJiffies / hz)]);
        }
        else
        {
            IpvsReplyWriter.WriteU32Reply(_scratch, _familyId, message, CmdSetInfo,
                [(InfoAttrVersion, _options.Version), (InfoAttrConnTabSize, _options.ConnectionTableSize)]);
        }
        replies.Enqueue(_scratch.WrittenSpan.ToArray());
        return 0;
    }
}
