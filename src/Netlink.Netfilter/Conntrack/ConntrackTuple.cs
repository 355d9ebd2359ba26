using System.Net;

namespace Netlink.Netfilter.Conntrack;

/// <summary>One direction of a tracked flow (the nested CTA_TUPLE_ORIG or CTA_TUPLE_REPLY).</summary>
/// <param name="Source">CTA_IP_V4_SRC / CTA_IP_V6_SRC.</param>
/// <param name="Destination">CTA_IP_V4_DST / CTA_IP_V6_DST.</param>
/// <param name="Protocol">CTA_PROTO_NUM: an IPPROTO_* number (6 TCP, 17 UDP, 132 SCTP, 1 ICMP).</param>
/// <param name="SourcePort">CTA_PROTO_SRC_PORT (0 for protocols without ports).</param>
/// <param name="DestinationPort">CTA_PROTO_DST_PORT.</param>
public sealed record ConntrackTuple(IPAddress Source, IPAddress Destination, byte Protocol, ushort SourcePort, ushort DestinationPort);
