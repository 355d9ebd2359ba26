using System.Net;
using Netlink.Ipvs;
using Netlink.Netfilter.Conntrack;
using Netlink.Netfilter.IpSet;
using Netlink.Netfilter.NfTables;
using Netlink.Route;
using static Netlink.Fuzz.Targets.NetlinkReplyTarget;

namespace Netlink.Fuzz.Targets;

/// <summary>The families' clients reading the kernel's replies as ipvsadm, ipvsctl and ipvsd read them.</summary>
public static class ClientReplyTargets
{
    /// <summary>IPVS: info, the whole table with real servers, timeouts, sync daemons, one service.</summary>
    public static NetlinkReplyTarget Ipvs { get; } = new("ipvs-replies",
        "IPVS replies (info, the whole table with real servers, timeouts, sync daemons, one service)",
        c => IpvsClient.Open(Sharing(c)).GetInfo(),
        c => IpvsClient.Open(Sharing(c)).GetTable(),
        c => IpvsClient.Open(Sharing(c)).GetTimeouts(),
        c => IpvsClient.Open(Sharing(c)).ListSyncDaemons(),
        c => IpvsClient.Open(Sharing(c)).GetService(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80)));

    /// <summary>nf_tables: as the rules backend reads back what it installed.</summary>
    public static NetlinkReplyTarget NfTables { get; } = new("nftables-replies",
        "nf_tables replies (sets and their elements, tables, chains, rules with every expression, the generation)",
        c => NfTablesClient.Open(Sharing(c)).ListRuleset(),
        c => NfTablesClient.Open(Sharing(c)).GetGeneration());

    /// <summary>conntrack: as the UDP cleanup after a sync reads the table.</summary>
    public static NetlinkReplyTarget Conntrack { get; } = new("conntrack-replies",
        "conntrack table dumps (tuples, status, timeouts, marks), listed whole and filtered",
        c => ConntrackClient.Open(Sharing(c)).List(),
        c => ConntrackClient.Open(Sharing(c)).List(new ConntrackFilter { Protocol = 17, OriginalDestination = IPAddress.Parse("198.18.0.1"), OriginalDestinationPort = 53 }));

    /// <summary>ipset: as the iptables rules backend reads its sets back.</summary>
    public static NetlinkReplyTarget IpSet { get; } = new("ipset-replies",
        "ipset replies (set headers, then every set with its elements across messages, a type's revision, a test)",
        c => IpSetClient.Open(Sharing(c)).List(headersOnly: true),
        c => IpSetClient.Open(Sharing(c)).List(),
        c => IpSetClient.Open(Sharing(c)).Revision(IpSetType.HashIpPort, IpSetFamily.IPv4),
        c => IpSetClient.Open(Sharing(c)).Test("vips", IpSetEntry.IpPort(IPAddress.Parse("198.18.0.1"), System.Net.Sockets.ProtocolType.Tcp, 80)));

    /// <summary>rtnetlink: as ipvsd reads the node's links and addresses.</summary>
    public static NetlinkReplyTarget Route { get; } = new("route-replies",
        "rtnetlink replies (links, then addresses)",
        c => RouteClient.Open(Sharing(c)).ListLinks(),
        c => RouteClient.Open(Sharing(c)).ListAddresses());
}
