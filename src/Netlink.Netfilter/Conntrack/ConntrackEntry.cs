namespace Netlink.Netfilter.Conntrack;

/// <summary>A connection-tracking entry as ctnetlink reports it.</summary>
/// <param name="Original">CTA_TUPLE_ORIG: the flow as the first packet had it (towards the virtual IP, for a service).</param>
/// <param name="Reply">CTA_TUPLE_REPLY: the flow as replies carry it (from the real server, after DNAT).</param>
/// <param name="Status">CTA_STATUS: IPS_* bits.</param>
/// <param name="TimeoutSeconds">CTA_TIMEOUT: seconds until the entry expires.</param>
/// <param name="Mark">CTA_MARK.</param>
/// <param name="Id">CTA_ID.</param>
public sealed record ConntrackEntry(ConntrackTuple Original, ConntrackTuple? Reply, uint Status, uint TimeoutSeconds, uint Mark, uint Id);
