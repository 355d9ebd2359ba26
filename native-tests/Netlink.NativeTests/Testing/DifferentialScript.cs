using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Netlink.Ipvs;

namespace Netlink.NativeTests.Testing;

/// <summary>One step of the script: a name for the failure message and what it does to a client (a text result for reads).</summary>
internal sealed record DifferentialStep(string Name, Func<DifferentialTarget, string?> Run);

/// <summary>
/// The one script of operations run against the fake IPVS kernel and against the real one: services of every
/// kind and their real servers added, edited and deleted, and every refusal a caller can provoke through
/// IpvsClient (what the client itself refuses before sending, such as a negative weight or an IPv6 netmask of 0,
/// never reaches a kernel, so those are sent as raw requests at the end of the script).
/// </summary>
internal static class DifferentialScript
{
    private static readonly VirtualServiceKey Web = Tcp("198.18.0.1", 80);
    private static readonly VirtualServiceKey Dns = VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("198.18.0.1"), 53);
    private static readonly VirtualServiceKey Diameter = VirtualServiceKey.ForAddress(IpvsProtocol.Sctp, IPAddress.Parse("198.18.0.2"), 3868);
    private static readonly VirtualServiceKey Mark = VirtualServiceKey.ForFirewallMark(7);
    private static readonly VirtualServiceKey Mark6 = VirtualServiceKey.ForFirewallMark(7, AddressFamily.InterNetworkV6);
    private static readonly VirtualServiceKey Web6 = Tcp("2001:db8::1", 443);
    private static readonly VirtualServiceKey Missing = Tcp("198.18.1.1", 80);

    private static VirtualServiceKey Tcp(string address, ushort port) => VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse(address), port);

    private static RealServer Masq(string address, ushort port = 8080) => new(IPAddress.Parse(address), port) { Forwarding = ForwardingMethod.Masquerade };

    private static RealServer Tunnel(string address, ushort port = 8080) => new(IPAddress.Parse(address), port) { Forwarding = ForwardingMethod.Tunnel };

    private static DifferentialStep Do(string name, Action<IpvsClient> action) => new(name, t => { action(t.Client); return null; });

    private static DifferentialStep Read(string name, Func<IpvsClient, string?> read) => new(name, t => read(t.Client));

    private static DifferentialStep Raw(string name, byte command, Action<NetlinkWriter> body, NetlinkMessageFlags flags = NetlinkMessageFlags.None) =>
        new(name, t => { RawIpvsRequest.Send(t, command, body, flags); return null; });

    public static IReadOnlyList<DifferentialStep> Steps { get; } =
    [
        // Services
        Do("add TCP service", c => c.AddService(new VirtualService(Web))),
        Do("add the same TCP service again", c => c.AddService(new VirtualService(Web))),
        Do("add the same service with an unknown scheduler (EEXIST comes first)", c => c.AddService(new VirtualService(Web) { Scheduler = "nosuch" })),
        Do("add UDP service with an unknown scheduler", c => c.AddService(new VirtualService(Dns) { Scheduler = "nosuch" })),
        Do("add UDP service on the TCP service's address and port", c => c.AddService(new VirtualService(Dns) { Scheduler = "rr", Flags = ServiceFlags.OnePacket })),
        Do("add SCTP service with sh flags", c => c.AddService(new VirtualService(Diameter) { Scheduler = "sh", Flags = ServiceFlags.SourceHashPort | ServiceFlags.SourceHashFallback })),
        Do("add firewall-mark service", c => c.AddService(new VirtualService(Mark) { Scheduler = "rr" })),
        Do("add IPv6 firewall-mark service with the same mark, persistent, /64", c => c.AddService(new VirtualService(Mark6) { Scheduler = "lc", PersistenceTimeout = 300, Netmask = PersistenceNetmask.FromIpv6PrefixLength(64) })),
        Do("add the IPv4 firewall-mark service again", c => c.AddService(new VirtualService(Mark))),
        Do("add IPv6 TCP service, mh, persistent /96", c => c.AddService(new VirtualService(Web6) { Scheduler = "mh", Flags = ServiceFlags.MaglevHashPort, PersistenceTimeout = 600, Netmask = PersistenceNetmask.FromIpv6PrefixLength(96) })),
        Do("add port-0 service with persistence and a /24 netmask", c => c.AddService(new VirtualService(Tcp("198.18.0.3", 0)) { Scheduler = "wrr", PersistenceTimeout = 60, Netmask = PersistenceNetmask.FromIpv4PrefixLength(24) })),
        Do("add port-0 service without persistence", c => c.AddService(new VirtualService(Tcp("198.18.0.4", 0)) { Scheduler = "rr" })),
        Do("add service with scheduler none", c => c.AddService(new VirtualService(Tcp("198.18.0.5", 80)) { Scheduler = "none" })),
        Do("add service with persistence engine sip", c => c.AddService(new VirtualService(Tcp("198.18.0.6", 80)) { Scheduler = "rr", PersistenceEngine = "sip", PersistenceTimeout = 30 })),
        Do("add service with an unknown persistence engine", c => c.AddService(new VirtualService(Tcp("198.18.0.7", 80)) { PersistenceEngine = "nosuch" })),
        Do("add service with scheduler twos (since Linux 6.7)", c => c.AddService(new VirtualService(Tcp("198.18.0.8", 80)) { Scheduler = "twos" })),
        Do("add service with a persistence of 20,000,000 s (wraps in jiffies)", c => c.AddService(new VirtualService(Tcp("198.18.0.9", 80)) { PersistenceTimeout = 20_000_000 })),
        Do("add persistent service with netmask 0.0.0.0", c => c.AddService(new VirtualService(Tcp("198.18.0.10", 80)) { PersistenceTimeout = 30, Netmask = PersistenceNetmask.FromIpv4Mask(0u) })),
        Do("add service with every scheduler flag and unknown flag bits", c => c.AddService(new VirtualService(Tcp("198.18.0.11", 80)) { Scheduler = "dh", Flags = ServiceFlags.SchedulerFlag1 | ServiceFlags.SchedulerFlag2 | ServiceFlags.SchedulerFlag3 | (ServiceFlags)0x100 })),
        Do("edit TCP service: rr, persistent 120", c => c.UpdateService(new VirtualService(Web) { Scheduler = "rr", PersistenceTimeout = 120 })),
        Do("edit a missing service", c => c.UpdateService(new VirtualService(Missing))),
        Do("edit TCP service to an unknown scheduler", c => c.UpdateService(new VirtualService(Web) { Scheduler = "nosuch" })),
        Do("edit the sip service without a persistence engine", c => c.UpdateService(new VirtualService(Tcp("198.18.0.6", 80)) { Scheduler = "wlc" })),
        Do("edit the scheduler-none service to lblcr", c => c.UpdateService(new VirtualService(Tcp("198.18.0.5", 80)) { Scheduler = "lblcr" })),
        Do("edit IPv6 firewall-mark service: /128, no persistence", c => c.UpdateService(new VirtualService(Mark6) { Scheduler = "sed", Netmask = PersistenceNetmask.FromIpv6PrefixLength(128) })),
        Do("delete a missing service", c => c.DeleteService(Missing)),
        Do("zero the counters of a missing service", c => c.ZeroCounters(Missing)),
        Do("zero every counter", c => c.ZeroCounters()),
        Do("zero one service's counters", c => c.ZeroCounters(Web)),
        Read("get a missing service", c => c.GetService(Missing)?.ToString() ?? "null"),
        Read("get the IPv6 service", c => Settings(c.GetService(Web6)?.Settings)),

        // Real servers
        Do("add masquerade real server", c => c.AddRealServer(Web, Masq("198.19.0.1") with { Weight = 3 })),
        Do("add direct-routing real server", c => c.AddRealServer(Web, new RealServer(IPAddress.Parse("198.19.0.2"), 80))),
        Do("add the masquerade real server again", c => c.AddRealServer(Web, Masq("198.19.0.1"))),
        Do("add a real server to a missing service", c => c.AddRealServer(Missing, Masq("198.19.0.1"))),
        Do("add real server with lower threshold above upper", c => c.AddRealServer(Web, Masq("198.19.0.3") with { UpperThreshold = 10, LowerThreshold = 11 })),
        Do("add real server with upper threshold above INT_MAX", c => c.AddRealServer(Web, Masq("198.19.0.3") with { UpperThreshold = (uint)int.MaxValue + 1 })),
        Do("add real server with weight and upper threshold INT_MAX", c => c.AddRealServer(Web, Masq("198.19.0.3") with { Weight = int.MaxValue, UpperThreshold = int.MaxValue, LowerThreshold = 5 })),
        Do("add IPv6 masquerade real server to an IPv4 service", c => c.AddRealServer(Web, Masq("2001:db8::2"))),
        Do("add IPv6 tunnel real server to an IPv4 service", c => c.AddRealServer(Web, Tunnel("2001:db8::2"))),
        Do("add GUE real server without a tunnel port", c => c.AddRealServer(Web, Tunnel("198.19.0.4") with { TunnelType = TunnelType.Gue })),
        Do("add GUE real server with port and checksum", c => c.AddRealServer(Web, Tunnel("198.19.0.4") with { TunnelType = TunnelType.Gue, TunnelPort = 6080, TunnelFlags = TunnelFlags.Checksum })),
        Do("add GRE real server with remote checksum", c => c.AddRealServer(Web, Tunnel("198.19.0.5") with { TunnelType = TunnelType.Gre, TunnelFlags = TunnelFlags.RemoteChecksum })),
        Do("add multicast real server", c => c.AddRealServer(Web, Masq("224.0.0.5"))),
        Do("add real server 0.0.0.0", c => c.AddRealServer(Web, Masq("0.0.0.0"))),
        Do("add real server 255.255.255.255", c => c.AddRealServer(Web, Masq("255.255.255.255"))),
        Do("add IPv6 multicast real server", c => c.AddRealServer(Web6, Masq("ff02::1"))),
        Do("add IPv6 link-local real server", c => c.AddRealServer(Web6, Masq("fe80::1"))),
        Do("add IPv6 real servers", c => { c.AddRealServer(Web6, Masq("2001:db8::1:1", 443)); c.AddRealServer(Web6, Masq("2001:db8::1:2", 443) with { Weight = 0 }); }),
        Do("add IPv4 tunnel real server to an IPv6 service", c => c.AddRealServer(Web6, Tunnel("198.19.0.6", 443))),
        Do("add real server to the firewall-mark services", c => { c.AddRealServer(Mark, Tunnel("198.19.0.9", 0)); c.AddRealServer(Mark6, new RealServer(IPAddress.Parse("2001:db8::9"), 0)); }),
        Do("add real servers to the UDP and SCTP services", c => { c.AddRealServer(Dns, Masq("198.19.0.53", 53)); c.AddRealServer(Diameter, Masq("198.19.0.7", 3868)); }),
        Do("edit a missing real server", c => c.UpdateRealServer(Web, Masq("198.19.0.99"))),
        Do("edit a real server with the other family than it has", c => c.UpdateRealServer(Web, Masq("2001:db8::2"))),
        Do("edit real server to weight 0", c => c.UpdateRealServer(Web, Masq("198.19.0.1") with { Weight = 0 })),
        Do("edit real server with lower threshold above upper", c => c.UpdateRealServer(Web, Masq("198.19.0.1") with { UpperThreshold = 1, LowerThreshold = 2 })),
        Do("edit GUE real server to masquerade (tunnel settings go)", c => c.UpdateRealServer(Web, Masq("198.19.0.4"))),
        Do("edit direct-routing real server to tunnel", c => c.UpdateRealServer(Web, Tunnel("198.19.0.2", 80) with { Weight = 7 })),
        Do("delete a missing real server", c => c.DeleteRealServer(Web, IPAddress.Parse("198.19.0.99"), 8080)),
        Do("delete a real server of a missing service", c => c.DeleteRealServer(Missing, IPAddress.Parse("198.19.0.1"), 8080)),
        Do("delete the masquerade real server", c => c.DeleteRealServer(Web, IPAddress.Parse("198.19.0.1"), 8080)),
        Do("add it back (it goes first again)", c => c.AddRealServer(Web, Masq("198.19.0.1") with { Weight = 2 })),
        Read("list real servers of a missing service", c => c.ListRealServers(Missing).Count.ToString(CultureInfo.InvariantCulture)),

        // Sync daemons and families
        Do("stop a master sync daemon that is not running", c => c.StopSyncDaemon(SyncDaemonState.Master)),
        Do("start a sync daemon while a real server has another family", c => c.StartSyncDaemon(new SyncDaemon(SyncDaemonState.Master, "nosuch0"))),
        Do("delete the IPv6 real servers of IPv4 services and IPv4 of IPv6", c => { c.DeleteRealServer(Web, IPAddress.Parse("2001:db8::2"), 8080); c.DeleteRealServer(Web6, IPAddress.Parse("198.19.0.6"), 443); }),
        Do("start a sync daemon on a missing interface", c => c.StartSyncDaemon(new SyncDaemon(SyncDaemonState.Master, "nosuch0"))),

        // Timeouts, info
        Do("set the TCP FIN timeout alone", c => c.SetTimeouts(new IpvsTimeouts(0, 60, 0))),
        Do("set a TCP timeout above INT_MAX / HZ", c => c.SetTimeouts(new IpvsTimeouts(int.MaxValue / 250 + 1, 0, 0))),
        Do("set a UDP timeout above INT_MAX", c => c.SetTimeouts(new IpvsTimeouts(0, 0, uint.MaxValue))),
        Do("set the longest TCP timeout", c => c.SetTimeouts(new IpvsTimeouts(int.MaxValue / 250, 0, 10))),
        Read("read the version", c => c.GetInfo().ToString()),

        // Raw requests: what IpvsClient refuses to send, and the wire's own rules
        Raw("raw: add IPv6 service with netmask (prefix length) 0", RawIpvsRequest.NewService, w => RawIpvsRequest.Service(w, s =>
        {
            s.WriteUInt16(RawIpvsRequest.SvcAf, LinuxAddressFamily.Inet6);
            s.WriteUInt32(RawIpvsRequest.SvcFwmark, 9);
            RawIpvsRequest.ServiceSettings(s, "rr", 0, uint.MaxValue, 0, 0);
        })),
        Raw("raw: add IPv6 service with netmask 129", RawIpvsRequest.NewService, w => RawIpvsRequest.Service(w, s =>
        {
            s.WriteUInt16(RawIpvsRequest.SvcAf, LinuxAddressFamily.Inet6);
            s.WriteUInt32(RawIpvsRequest.SvcFwmark, 9);
            RawIpvsRequest.ServiceSettings(s, "rr", 0, uint.MaxValue, 0, 129);
        })),
        Raw("raw: edit IPv6 service to netmask 0", RawIpvsRequest.SetService, w => RawIpvsRequest.Service(w, s =>
        {
            RawIpvsRequest.ServiceKey(s, Web6);
            RawIpvsRequest.ServiceSettings(s, "rr", 0, uint.MaxValue, 0, 0);
        })),
        Raw("raw: edit one flag bit by its mask (the others stay)", RawIpvsRequest.SetService, w => RawIpvsRequest.Service(w, s =>
        {
            RawIpvsRequest.ServiceKey(s, Web);
            RawIpvsRequest.ServiceSettings(s, "rr", 0x0004, 0x0004, 120, uint.MaxValue);
        })),
        Raw("raw: add service of address family 7", RawIpvsRequest.NewService, w => RawIpvsRequest.Service(w, s =>
        {
            s.WriteUInt16(RawIpvsRequest.SvcAf, 7);
            s.WriteUInt32(RawIpvsRequest.SvcFwmark, 9);
            RawIpvsRequest.ServiceSettings(s, "rr", 0, uint.MaxValue, 0, 0);
        })),
        Raw("raw: add service without scheduler, flags, timeout, netmask", RawIpvsRequest.NewService, w => RawIpvsRequest.Service(w, s =>
        {
            s.WriteUInt16(RawIpvsRequest.SvcAf, LinuxAddressFamily.Inet);
            s.WriteUInt32(RawIpvsRequest.SvcFwmark, 9);
        })),
        Raw("raw: add service with a 4-byte address", RawIpvsRequest.NewService, w => RawIpvsRequest.Service(w, s =>
        {
            s.WriteUInt16(RawIpvsRequest.SvcAf, LinuxAddressFamily.Inet);
            s.WriteUInt16(RawIpvsRequest.SvcProtocol, 6);
            s.WriteBytes(RawIpvsRequest.SvcAddr, [198, 18, 0, 20]);
            s.WriteUInt16BigEndian(RawIpvsRequest.SvcPort, 80);
            RawIpvsRequest.ServiceSettings(s, "rr", 0, uint.MaxValue, 0, uint.MaxValue);
        })),
        Raw("raw: delete without a service", RawIpvsRequest.DelService, _ => { }),
        Raw("raw: get one service without a service", RawIpvsRequest.GetService, _ => { }),
        Raw("raw: add real server with weight 2^31", RawIpvsRequest.NewDest, w =>
        {
            RawIpvsRequest.Service(w, s => RawIpvsRequest.ServiceKey(s, Web));
            RawIpvsRequest.Destination(w, "198.19.0.30", 80, d =>
            {
                d.WriteUInt32(RawIpvsRequest.DestFwdMethod, 0);
                d.WriteUInt32(RawIpvsRequest.DestWeight, 0x8000_0000);
                d.WriteUInt32(RawIpvsRequest.DestUThresh, 0);
                d.WriteUInt32(RawIpvsRequest.DestLThresh, 0);
            });
        }),
        Raw("raw: add real server without a weight", RawIpvsRequest.NewDest, w =>
        {
            RawIpvsRequest.Service(w, s => RawIpvsRequest.ServiceKey(s, Web));
            RawIpvsRequest.Destination(w, "198.19.0.31", 80, d => d.WriteUInt32(RawIpvsRequest.DestFwdMethod, 0));
        }),
        Raw("raw: add real server without address family (the service's)", RawIpvsRequest.NewDest, w =>
        {
            RawIpvsRequest.Service(w, s => RawIpvsRequest.ServiceKey(s, Web));
            RawIpvsRequest.Destination(w, "198.19.0.32", 80, d =>
            {
                d.WriteUInt32(RawIpvsRequest.DestFwdMethod, 0);
                d.WriteUInt32(RawIpvsRequest.DestWeight, 4);
                d.WriteUInt32(RawIpvsRequest.DestUThresh, 0);
                d.WriteUInt32(RawIpvsRequest.DestLThresh, 0);
            });
        }),
        Raw("raw: add real server of address family 7", RawIpvsRequest.NewDest, w =>
        {
            RawIpvsRequest.Service(w, s => RawIpvsRequest.ServiceKey(s, Web));
            RawIpvsRequest.Destination(w, "198.19.0.33", 80, d =>
            {
                d.WriteUInt16(RawIpvsRequest.DestAddrFamily, 7);
                d.WriteUInt32(RawIpvsRequest.DestFwdMethod, 0);
                d.WriteUInt32(RawIpvsRequest.DestWeight, 4);
                d.WriteUInt32(RawIpvsRequest.DestUThresh, 0);
                d.WriteUInt32(RawIpvsRequest.DestLThresh, 0);
            });
        }),
        Raw("raw: list real servers without NLM_F_DUMP", RawIpvsRequest.GetDest, w => RawIpvsRequest.Service(w, s => RawIpvsRequest.ServiceKey(s, Web))),
        Raw("raw: flush as a dump", RawIpvsRequest.Flush, _ => { }, NetlinkMessageFlags.Dump),
        Raw("raw: unknown command 99", 99, _ => { }),
        Raw("raw: set the UDP timeout alone", RawIpvsRequest.SetConfig, w => w.WriteUInt32(RawIpvsRequest.AttrTimeoutUdp, 45)),
        Raw("raw: start a sync daemon without a sync id", RawIpvsRequest.NewDaemon, w =>
        {
            NetlinkNestToken nest = w.BeginNested(RawIpvsRequest.AttrDaemon);
            w.WriteUInt32(RawIpvsRequest.DaemonState, 1);
            w.WriteString(RawIpvsRequest.DaemonIfn, "lo");
            w.EndNested(nest);
        }),
        Raw("raw: start a sync daemon with a unicast group", RawIpvsRequest.NewDaemon, w =>
        {
            NetlinkNestToken nest = w.BeginNested(RawIpvsRequest.AttrDaemon);
            w.WriteUInt32(RawIpvsRequest.DaemonState, 1);
            w.WriteString(RawIpvsRequest.DaemonIfn, "lo");
            w.WriteUInt32(RawIpvsRequest.DaemonSyncId, 1);
            w.WriteBytes(RawIpvsRequest.DaemonGroup, [198, 18, 0, 1]);
            w.EndNested(nest);
        }),
        Raw("raw: stop a sync daemon of state 3", RawIpvsRequest.DelDaemon, w =>
        {
            NetlinkNestToken nest = w.BeginNested(RawIpvsRequest.AttrDaemon);
            w.WriteUInt32(RawIpvsRequest.DaemonState, 3);
            w.EndNested(nest);
        }),
        Raw("raw: stop a sync daemon without a state", RawIpvsRequest.DelDaemon, w =>
        {
            NetlinkNestToken nest = w.BeginNested(RawIpvsRequest.AttrDaemon);
            w.EndNested(nest);
        }),

        // Deleting and flushing
        Do("delete the TCP service with its real servers", c => c.DeleteService(Web)),
        Do("add a real server to the deleted service", c => c.AddRealServer(Web, Masq("198.19.0.1"))),
        Do("flush", c => c.Flush()),
        Do("add the TCP service and a real server after the flush", c => { c.AddService(new VirtualService(Web)); c.AddRealServer(Web, Masq("198.19.0.1")); }),
        Do("a batch that fails at its third change", c =>
        {
            using IpvsBatch batch = c.CreateBatch();
            batch.AddRealServer(Web, Masq("198.19.0.10"));
            batch.AddRealServer(Web, Masq("198.19.0.11"));
            batch.AddRealServer(Web, Masq("198.19.0.10"));
            batch.AddRealServer(Web, Masq("198.19.0.12"));
            c.Execute(batch);
        }),
    ];

    private static string Settings(VirtualService? s) => s is null ? "null"
        : string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Scheduler} 0x{(uint)s.Flags:x} {s.PersistenceTimeout} 0x{s.Netmask:x} {s.PersistenceEngine}");
}
