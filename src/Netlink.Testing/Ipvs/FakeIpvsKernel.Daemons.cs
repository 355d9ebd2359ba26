using System.Text;
using static Netlink.Ipvs.Codec.IpvsConstants;

namespace Netlink.Testing;

public sealed partial class FakeIpvsKernel
{
    private const uint Master = 1, Backup = 2;

    private FakeSyncDaemon? _master;
    private FakeSyncDaemon? _backup;

    /// <summary>ipvs->sync_state: which daemons run.</summary>
    private uint SyncState => (_master is null ? 0 : Master) | (_backup is null ? 0 : Backup);

    /// <summary>
    /// ip_vs_genl_set_daemon: EINVAL without a well-formed IPVS_CMD_ATTR_DAEMON; then ip_vs_genl_new_daemon or
    /// ip_vs_genl_del_daemon.
    /// </summary>
    private int Daemon(byte command, in TopLevel top)
    {
        if (!top.HasDaemon)
        {
            return Errno.EINVAL;
        }
        uint? state = null, syncId = null;
        string? name = null;
        ushort maxLength = 0, port = 0;
        byte ttl = 0;
        byte[]? group = null;
        try
        {
            foreach (NetlinkAttribute a in new NetlinkAttributeReader(top.Daemon))
            {
                switch (a.Type)
                {
                    case DaemonAttrState: state = a.GetUInt32(); break;
                    case DaemonAttrMcastIfn:
                        int nul = a.Payload[..Math.Min(a.Payload.Length, NameMaxLength)].IndexOf((byte)0);
                        name = nul >= 0 ? Encoding.UTF8.GetString(a.Payload[..nul]) : throw new NetlinkProtocolException("interface name too long");
                        break;
                    case DaemonAttrSyncId: syncId = a.GetUInt32(); break;
                    case DaemonAttrSyncMaxlen: maxLength = a.GetUInt16(); break;
                    case DaemonAttrMcastGroup: group = a.Expect(4).ToArray(); break;
                    case DaemonAttrMcastGroup6: group ??= a.Expect(16).ToArray(); break;
                    case DaemonAttrMcastPort: port = a.GetUInt16(); break;
                    case DaemonAttrMcastTtl: ttl = a.GetByte(); break;
                    default: break;
                }
            }
        }
        catch (NetlinkProtocolException)
        {
            return Errno.EINVAL;
        }
        return command == CmdDelDaemon ? StopDaemon(state) : StartDaemon(state, name, syncId, maxLength, group, port, ttl);
    }

    /// <summary>
    /// ip_vs_genl_new_daemon: EINVAL without STATE, MCAST_IFN and SYNC_ID, for a group that is not multicast, or while
    /// a real server's family differs from its service's; then start_sync_thread: ENODEV for an unknown interface,
    /// the defaults (group 224.0.0.81, port 8848, TTL 1, the longest message the MTU allows), EEXIST when that
    /// daemon runs already, EINVAL for a state other than master or backup. (Sockets are not modelled: a kernel
    /// may still refuse an interface without a usable address.)
    /// </summary>
    private int StartDaemon(uint? state, string? name, uint? syncId, ushort maxLength, byte[]? group, ushort port, byte ttl)
    {
        if (state is null || name is null || syncId is null)
        {
            return Errno.EINVAL;
        }
        if (group is not null && (group.Length == 4 ? group[0] is < 224 or > 239 : group[0] != 0xFF))
        {
            return Errno.EINVAL;
        }
        if (_mixedFamilyRealServers > 0)
        {
            return Errno.EINVAL;
        }
        if (!_options.Interfaces.TryGetValue(name, out int deviceMtu))
        {
            return Errno.ENODEV;
        }
        group ??= [224, 0, 0, 81];
        int headers = (group.Length == 16 ? 40 : 20) + 8;
        int mtu = state == Backup ? Math.Clamp(deviceMtu, 1500, 65535) : 1500;
        int least = state == Backup ? 1024 : 1;
        ushort length = (ushort)(maxLength != 0 ? Math.Clamp(maxLength, least, mtu - headers) : mtu - headers);
        var daemon = new FakeSyncDaemon(state.Value, name, syncId.Value, length, port != 0 ? port : (ushort)8848, ttl != 0 ? ttl : (byte)1, group);
        switch (state)
        {
            case Master when _master is null: _master = daemon; return 0;
            case Backup when _backup is null: _backup = daemon; return 0;
            case Master or Backup: return Errno.EEXIST;
            default: return Errno.EINVAL;
        }
    }

    /// <summary>
    /// ip_vs_genl_del_daemon: EINVAL without STATE; stop_sync_thread: ESRCH when that daemon is not running, EINVAL
    /// for a state other than master or backup (seen on 6.1 and 6.12 by the differential test).
    /// </summary>
    private int StopDaemon(uint? state)
    {
        switch (state)
        {
            case null: return Errno.EINVAL;
            case Master when _master is not null: _master = null; return 0;
            case Backup when _backup is not null: _backup = null; return 0;
            case Master or Backup: return Errno.ESRCH;
            default: return Errno.EINVAL;
        }
    }
}
