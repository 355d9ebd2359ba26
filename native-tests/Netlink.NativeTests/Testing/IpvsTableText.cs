using System.Globalization;
using System.Text;
using Netlink.Ipvs;

namespace Netlink.NativeTests.Testing;

/// <summary>
/// An IPVS table's settings as text, for comparing two kernels: services sorted by key (the kernel lists them in
/// its hash order, which no fake can share), each service's real servers in the kernel's own order (newest first),
/// every setting a caller can write and none of the counters. Then the timeouts and the sync daemons.
/// </summary>
internal static class IpvsTableText
{
    public static string Read(IpvsClient ipvs)
    {
        var text = new StringBuilder();
        foreach (IpvsServiceEntry entry in ipvs.GetTable().OrderBy(e => e.Service.Key.ToString(), StringComparer.Ordinal))
        {
            VirtualService s = entry.Service.Settings;
            // The flags as the kernel reports them (hashed and persistent included), and the mask in effect.
            text.Append(CultureInfo.InvariantCulture,
                $"{s.Key} sched={s.Scheduler} flags=0x{(uint)entry.Service.ReportedFlags:x} timeout={s.PersistenceTimeout} netmask={s.EffectiveNetmask} pe={s.PersistenceEngine ?? "-"}\n");
            foreach (RealServer r in entry.RealServers.Select(o => o.Settings))
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"  -> {r.Endpoint} fwd={r.Forwarding} weight={r.Weight} thresholds={r.UpperThreshold}/{r.LowerThreshold} tunnel={r.TunnelType}/{r.TunnelPort}/{r.TunnelFlags}\n");
            }
        }
        IpvsTimeouts t = ipvs.GetTimeouts();
        text.Append(CultureInfo.InvariantCulture, $"timeouts {t.Tcp} {t.TcpFin} {t.Udp}\n");
        foreach (SyncDaemon d in ipvs.ListSyncDaemons())
        {
            text.Append(CultureInfo.InvariantCulture, $"daemon {d.State} {d.InterfaceName} id={d.SyncId} maxlen={d.MaxLength} port={d.MulticastPort} ttl={d.MulticastTtl} group={d.MulticastGroup}\n");
        }
        return text.ToString();
    }
}
