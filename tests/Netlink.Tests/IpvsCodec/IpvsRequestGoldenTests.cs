using System.Net;
using System.Net.Sockets;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;
using Netlink.Tests.Core;

namespace Netlink.Tests.IpvsCodec;

/// <summary>
/// IPVS requests byte for byte, one commented line per field, as the kernel's ip_vs_genl_parse_service and
/// ip_vs_genl_parse_dest read them. Family id 0x25 stands for whatever the kernel assigned.
/// </summary>
public sealed class IpvsRequestGoldenTests
{
    private const ushort Family = 0x25;
    private static readonly VirtualServiceKey Web = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80);

    private static byte[] Encode(Action<NetlinkBuffer> write)
    {
        using var buffer = new NetlinkBuffer();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void AddService_Tcp4()
    {
        byte[] actual = Encode(b => IpvsRequestWriter.WriteService(b, Family, new VirtualService(Web) { Scheduler = "wrr" }, update: false));
        byte[] expected = WireHex.Parse(
            "68000000", "2500", "0100", "00000000", "00000000", // nlmsghdr: len 104, type IPVS, NLM_F_REQUEST, seq and pid stamped at send
            "01010000",                                       // genlmsghdr: IPVS_CMD_NEW_SERVICE, version 1
            "5400", "0180",                                   // IPVS_CMD_ATTR_SERVICE, nested, 84 bytes
            "0600", "0100", "0200", "0000",                   //   IPVS_SVC_ATTR_AF = AF_INET (u16) + pad
            "0600", "0200", "0600", "0000",                   //   IPVS_SVC_ATTR_PROTOCOL = IPPROTO_TCP
            "1400", "0300", "c6120001000000000000000000000000", // IPVS_SVC_ATTR_ADDR: union nf_inet_addr, 16 bytes
            "0600", "0400", "0050", "0000",                   //   IPVS_SVC_ATTR_PORT = 80, big-endian
            "0800", "0600", "77727200",                       //   IPVS_SVC_ATTR_SCHED_NAME = "wrr\0"
            "0c00", "0700", "00000000", "ffffffff",           //   IPVS_SVC_ATTR_FLAGS: struct ip_vs_flags { flags 0, mask ~0 }
            "0800", "0800", "00000000",                       //   IPVS_SVC_ATTR_TIMEOUT = 0 (not persistent)
            "0800", "0900", "ffffffff");                      //   IPVS_SVC_ATTR_NETMASK = 255.255.255.255 as __be32
        Assert.Equal(WireHex.Format(expected), WireHex.Format(actual));
    }

    [Fact]
    public void EditService_FirewallMark6_PersistentWithPrefixAndEngine()
    {
        var key = VirtualServiceKey.ForFirewallMark(7, AddressFamily.InterNetworkV6);
        byte[] actual = Encode(b => IpvsRequestWriter.WriteService(b, Family,
            new VirtualService(key) { Scheduler = "sh", PersistenceTimeout = 300, Netmask = PersistenceNetmask.FromIpv6PrefixLength(64), PersistenceEngine = "sip", Flags = ServiceFlags.SourceHashPort | ServiceFlags.Hashed }, update: true));
        byte[] expected = WireHex.Parse(
            "54000000", "2500", "0100", "00000000", "00000000", // nlmsghdr: len 84
            "02010000",                                       // IPVS_CMD_SET_SERVICE
            "4000", "0180",                                   // IPVS_CMD_ATTR_SERVICE, 64 bytes
            "0600", "0100", "0a00", "0000",                   //   AF = AF_INET6
            "0800", "0500", "07000000",                       //   IPVS_SVC_ATTR_FWMARK = 7 (no protocol, address or port)
            "0700", "0600", "736800", "00",                   //   SCHED_NAME = "sh\0" + pad
            "0800", "0b00", "73697000",                       //   IPVS_SVC_ATTR_PE_NAME = "sip\0"
            "0c00", "0700", "11000000", "ffffffff",           //   FLAGS: PERSISTENT|SCHED2 (Hashed is the kernel's, never sent)
            "0800", "0800", "2c010000",                       //   TIMEOUT = 300
            "0800", "0900", "40000000");                      //   NETMASK = prefix length 64, host order, for IPv6
        Assert.Equal(WireHex.Format(expected), WireHex.Format(actual));
    }

    [Fact]
    public void AddRealServer_Masquerade4_AlwaysSendsTheAddressFamily()
    {
        byte[] actual = Encode(b => IpvsRequestWriter.WriteRealServer(b, Family, Web,
            new RealServer(IPAddress.Parse("198.19.0.2"), 8080) { Forwarding = ForwardingMethod.Masquerade, Weight = 3, UpperThreshold = 100, LowerThreshold = 10 }, update: false));
        byte[] expected = WireHex.Parse(
            "8c000000", "2500", "0100", "00000000", "00000000", // nlmsghdr: len 140
            "05010000",                                       // IPVS_CMD_NEW_DEST
            "3000", "0180",                                   // IPVS_CMD_ATTR_SERVICE (the key only), 48 bytes
            "0600", "0100", "0200", "0000",                   //   AF_INET
            "0600", "0200", "0600", "0000",                   //   TCP
            "1400", "0300", "c6120001000000000000000000000000", // 198.18.0.1
            "0600", "0400", "0050", "0000",                   //   port 80
            "4800", "0280",                                   // IPVS_CMD_ATTR_DEST, 72 bytes
            "1400", "0100", "c6130002000000000000000000000000", // IPVS_DEST_ATTR_ADDR 198.19.0.2
            "0600", "0200", "1f90", "0000",                   //   IPVS_DEST_ATTR_PORT = 8080, big-endian
            "0600", "0b00", "0200", "0000",                   //   IPVS_DEST_ATTR_ADDR_FAMILY = AF_INET, always sent
            "0800", "0300", "00000000",                       //   IPVS_DEST_ATTR_FWD_METHOD = IP_VS_CONN_F_MASQ
            "0800", "0400", "03000000",                       //   IPVS_DEST_ATTR_WEIGHT = 3 (u32)
            "0800", "0500", "64000000",                       //   IPVS_DEST_ATTR_U_THRESH = 100
            "0800", "0600", "0a000000");                      //   IPVS_DEST_ATTR_L_THRESH = 10
        Assert.Equal(WireHex.Format(expected), WireHex.Format(actual));
    }

    [Fact]
    public void EditRealServer_GueTunnel6_CarriesTunnelTypePortAndChecksum()
    {
        var key = VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("2001:db8::1"), 53);
        byte[] actual = Encode(b => IpvsRequestWriter.WriteRealServer(b, Family, key,
            new RealServer(IPAddress.Parse("2001:db8::2"), 53) { Forwarding = ForwardingMethod.Tunnel, TunnelType = TunnelType.Gue, TunnelPort = 6080, TunnelFlags = TunnelFlags.RemoteChecksum }, update: true));
        byte[] expected = WireHex.Parse(
            "a4000000", "2500", "0100", "00000000", "00000000", // nlmsghdr: len 164
            "06010000",                                       // IPVS_CMD_SET_DEST
            "3000", "0180",                                   // service key, 48 bytes
            "0600", "0100", "0a00", "0000",                   //   AF_INET6
            "0600", "0200", "1100", "0000",                   //   UDP
            "1400", "0300", "20010db8000000000000000000000001", // 2001:db8::1
            "0600", "0400", "0035", "0000",                   //   port 53
            "6000", "0280",                                   // IPVS_CMD_ATTR_DEST, 96 bytes
            "1400", "0100", "20010db8000000000000000000000002", // 2001:db8::2
            "0600", "0200", "0035", "0000",                   //   port 53
            "0600", "0b00", "0a00", "0000",                   //   ADDR_FAMILY = AF_INET6
            "0800", "0300", "02000000",                       //   FWD_METHOD = IP_VS_CONN_F_TUNNEL
            "0800", "0400", "01000000",                       //   WEIGHT = 1
            "0800", "0500", "00000000",                       //   U_THRESH = 0
            "0800", "0600", "00000000",                       //   L_THRESH = 0
            "0500", "0d00", "01", "000000",                   //   IPVS_DEST_ATTR_TUN_TYPE = GUE (u8) + pad
            "0600", "0e00", "17c0", "0000",                   //   IPVS_DEST_ATTR_TUN_PORT = 6080, big-endian
            "0600", "0f00", "0200", "0000");                  //   IPVS_DEST_ATTR_TUN_FLAGS = REMCSUM
        Assert.Equal(WireHex.Format(expected), WireHex.Format(actual));
    }

    [Fact]
    public void DeleteRealServer_SendsOnlyTheKeys()
    {
        byte[] actual = Encode(b => IpvsRequestWriter.WriteDeleteRealServer(b, Family, Web, IPAddress.Parse("198.19.0.2"), 8080));
        byte[] expected = WireHex.Parse(
            "6c000000", "2500", "0100", "00000000", "00000000",
            "07010000",                                       // IPVS_CMD_DEL_DEST
            "3000", "0180", "0600", "0100", "0200", "0000", "0600", "0200", "0600", "0000",
            "1400", "0300", "c6120001000000000000000000000000", "0600", "0400", "0050", "0000",
            "2800", "0280",                                   // IPVS_CMD_ATTR_DEST, 40 bytes: address, port, family
            "1400", "0100", "c6130002000000000000000000000000",
            "0600", "0200", "1f90", "0000",
            "0600", "0b00", "0200", "0000");
        Assert.Equal(WireHex.Format(expected), WireHex.Format(actual));
    }

    [Fact]
    public void Timeouts_StartAndStopDaemon_CommandsWithoutAttributes()
    {
        Assert.Equal(WireHex.Format(WireHex.Parse(
            "2c000000", "2500", "0100", "00000000", "00000000",
            "0c010000",                                       // IPVS_CMD_SET_CONFIG
            "0800", "0400", "84030000",                       // IPVS_CMD_ATTR_TIMEOUT_TCP = 900
            "0800", "0500", "00000000",                       // IPVS_CMD_ATTR_TIMEOUT_TCP_FIN = 0 (unchanged)
            "0800", "0600", "78000000")),                     // IPVS_CMD_ATTR_TIMEOUT_UDP = 120
            WireHex.Format(Encode(b => IpvsRequestWriter.WriteTimeouts(b, Family, new IpvsTimeouts(900, 0, 120)))));

        Assert.Equal(WireHex.Format(WireHex.Parse(
            "54000000", "2500", "0100", "00000000", "00000000",
            "09010000",                                       // IPVS_CMD_NEW_DAEMON
            "4000", "0380",                                   // IPVS_CMD_ATTR_DAEMON, 64 bytes
            "0800", "0100", "01000000",                       //   IPVS_DAEMON_ATTR_STATE = IP_VS_STATE_MASTER
            "0900", "0200", "6574683000", "000000",           //   IPVS_DAEMON_ATTR_MCAST_IFN = "eth0\0" + pad
            "0800", "0300", "09000000",                       //   IPVS_DAEMON_ATTR_SYNC_ID = 9
            "0600", "0400", "7805", "0000",                   //   IPVS_DAEMON_ATTR_SYNC_MAXLEN = 1400 (u16)
            "0800", "0500", "e0000063",                       //   IPVS_DAEMON_ATTR_MCAST_GROUP = 224.0.0.99 (in_addr)
            "0600", "0700", "9222", "0000",                   //   IPVS_DAEMON_ATTR_MCAST_PORT = 8850 (u16, host order)
            "0500", "0800", "02", "000000")),                 //   IPVS_DAEMON_ATTR_MCAST_TTL = 2 (u8)
            WireHex.Format(Encode(b => IpvsRequestWriter.WriteStartDaemon(b, Family, new SyncDaemon(SyncDaemonState.Master, "eth0")
            {
                SyncId = 9, MaxLength = 1400, MulticastGroup = IPAddress.Parse("224.0.0.99"), MulticastPort = 8850, MulticastTtl = 2,
            }))));

        Assert.Equal(WireHex.Format(WireHex.Parse(
            "20000000", "2500", "0100", "00000000", "00000000",
            "0a010000",                                       // IPVS_CMD_DEL_DAEMON
            "0c00", "0380", "0800", "0100", "02000000")),     // DAEMON { STATE = IP_VS_STATE_BACKUP }
            WireHex.Format(Encode(b => IpvsRequestWriter.WriteStopDaemon(b, Family, SyncDaemonState.Backup))));

        Assert.Equal(WireHex.Format(WireHex.Parse("14000000", "2500", "0100", "00000000", "00000000", "11010000")), // IPVS_CMD_FLUSH
            WireHex.Format(Encode(b => IpvsRequestWriter.WriteCommand(b, Family, IpvsConstants.CmdFlush))));
    }

    [Fact]
    public void Ipv4Netmask_Zero_IsSent_AndNoNetmask_IsTheSingleAddressDefault()
    {
        byte[] zero = Encode(b => IpvsRequestWriter.WriteService(b, Family, new VirtualService(Web) { Scheduler = "rr", Netmask = PersistenceNetmask.FromIpv4Mask(0) }, false));
        byte[] unset = Encode(b => IpvsRequestWriter.WriteService(b, Family, new VirtualService(Web) { Scheduler = "rr" }, false));
        Assert.Equal(unset.Length, zero.Length);
        int[] differing = [.. Enumerable.Range(0, zero.Length).Where(i => zero[i] != unset[i])];
        // IPVS_SVC_ATTR_NETMASK's four value bytes, and nothing else.
        Assert.Equal(4, differing.Length);
        Assert.Equal(differing[0] + 3, differing[3]);
        Assert.Equal(IpvsConstants.SvcAttrNetmask, BitConverter.ToUInt16(zero, differing[0] - 2));
        Assert.All(differing, i => Assert.Equal((0x00, 0xFF), (zero[i], unset[i])));
    }

    [Fact]
    public void Writer_RefusesWhatTheKernelWouldReject()
    {
        Assert.Throws<ArgumentException>(() => Encode(b => IpvsRequestWriter.WriteService(b, Family, new VirtualService(Web) { Scheduler = "a-scheduler-name-too-long" }, false)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Encode(b => IpvsRequestWriter.WriteRealServer(b, Family, Web, new RealServer(IPAddress.Loopback, 1) { Weight = -1 }, false)));
        var v6 = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("2001:db8::1"), 80);
        Assert.Throws<ArgumentOutOfRangeException>(() => Encode(b => IpvsRequestWriter.WriteService(b, Family, new VirtualService(v6) { Netmask = PersistenceNetmask.FromIpv6PrefixLength(129) }, false)));
        Assert.Throws<ArgumentException>(() => Encode(b => IpvsRequestWriter.WriteStartDaemon(b, Family, new SyncDaemon(SyncDaemonState.None, "eth0"))));
    }
}
