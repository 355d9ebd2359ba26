using Microsoft.Extensions.Logging;
using Netlink;
using Netlink.Ipvs;
using Netlink.Netfilter.Conntrack;
using ServiceProxy.Planning;

namespace ServiceProxy.Reconciling;

public sealed partial class ServiceReconciler
{
    /// <summary>
    /// Deletes the conntrack entries that this sync's changes left steering flows the wrong way, in one call: one dump
    /// of the table however many services changed, and none at all unless a UDP or SCTP real server or service went or
    /// a UDP service gained a real server, so a resync that changes nothing costs nothing here. A failure is a
    /// warning: the IPVS changes stand.
    /// </summary>
    private void DeleteConntrackEntries(SyncContext context)
    {
        if (Conntrack is null || context.Changes.Count == 0)
        {
            return;
        }
        var filters = new List<ConntrackFilter>();
        var services = new List<VirtualServiceKey>();
        var gained = new HashSet<VirtualServiceKey>();
        foreach (ServiceTableChange change in context.Changes)
        {
            VirtualServiceKey key = change.Service.Key;
            // A firewall mark stands for addresses and ports that only the rules know: no entry can be picked by it.
            if (key.IsFirewallMark || key.Address is null)
            {
                continue;
            }
            if (FlowsOfRemoved(change) is { } removed)
            {
                filters.Add(removed);
                services.Add(key);
            }
            else if (GainsRealServer(change))
            {
                gained.Add(key);
            }
        }
        foreach (VirtualServiceKey key in gained)
        {
            if (FlowsNoRealServerAnswers(key) is { } unanswered)
            {
                filters.Add(unanswered);
                services.Add(key);
            }
        }
        if (filters.Count == 0)
        {
            return;
        }
        try
        {
            context.ConntrackEntriesDeleted += Conntrack.Delete(filters);
        }
        catch (NetlinkException e)
        {
            LogConntrackFailed(_logger, new ServiceList(services), e.Message);
        }
    }

    /// <summary>
    /// UDP and SCTP have no end a drain could wait for, and conntrack would keep steering a client's datagrams to a
    /// real server that is gone (kubernetes #125467): their entries go with the real server or the service.
    /// </summary>
    private static ConntrackFilter? FlowsOfRemoved(ServiceTableChange change)
    {
        VirtualServiceKey key = change.Service.Key;
        if (key.Protocol is not (IpvsProtocol.Udp or IpvsProtocol.Sctp))
        {
            return null;
        }
        return change.Kind switch
        {
            IpvsOperationKind.DeleteRealServer => new ConntrackFilter
            {
                Protocol = (byte)key.Protocol,
                OriginalDestination = key.Address,
                OriginalDestinationPort = key.Port,
                ReplySource = change.RealServer!.Address,
                ReplySourcePort = change.RealServer.Port,
            },
            IpvsOperationKind.DeleteService => new ConntrackFilter
            {
                Protocol = (byte)key.Protocol,
                OriginalDestination = key.Address,
                OriginalDestinationPort = key.Port,
            },
            _ => null,
        };
    }

    /// <summary>
    /// Whether a UDP virtual server gained a real server it can send new flows to: one added, or one given a weight
    /// again (real servers all at weight 0 take no new flow, as if there were none).
    /// </summary>
    private static bool GainsRealServer(ServiceTableChange change) =>
        change.Service.Key.Protocol == IpvsProtocol.Udp
        && change.Kind is IpvsOperationKind.AddRealServer or IpvsOperationKind.UpdateRealServer
        && change.RealServer!.Weight > 0;

    /// <summary>
    /// The UDP entries towards a virtual server that none of its real servers answers. Datagrams that came before the
    /// virtual server existed, to an address the node holds (a virtual IP bound for another port, a node address), were
    /// the node's own: its UDP stack refused them, and they left an entry that nothing translated (reply source: the
    /// address itself). Once the virtual server has a real server, IPVS sends the client's next datagram of that flow
    /// to it, but the answer never reaches the client (measured in the VM) while that entry lives, and a client that
    /// keeps its socket (a DNS resolver) keeps it alive for as long as it sends: through a time without real servers
    /// too, when IPVS drops the datagrams (before conntrack confirms them: they leave no entry of their own, but
    /// refresh the old one). Kubernetes #48370; kube-proxy deletes the same set (pkg/proxy/conntrack/cleanup.go:
    /// reply source not a serving endpoint). Entries answered by a current real server stay, so a live flow is never
    /// cut (kube-proxy cut them all after a restart, kubernetes #122740). Only with masquerading does a good entry's
    /// reply come from the real server: with any other forwarding method the good and the stale look alike, and nothing
    /// is deleted. SCTP is left alone here, as kube-proxy's cleanup leaves it (UDP only).
    /// </summary>
    private ConntrackFilter? FlowsNoRealServerAnswers(VirtualServiceKey key)
    {
        if (_view.Find(key) is not { RealServers.Count: > 0 } service
            || service.RealServers.Values.Any(r => r.Forwarding != ForwardingMethod.Masquerade))
        {
            return null;
        }
        return new ConntrackFilter
        {
            Protocol = (byte)IpvsProtocol.Udp,
            OriginalDestination = key.Address,
            OriginalDestinationPort = key.Port,
            ReplySourceNotIn = service.RealServers.Values.Select(r => r.Address).ToHashSet(),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "conntrack entries of {Services} not deleted: {Reason}")]
    private static partial void LogConntrackFailed(ILogger logger, ServiceList services, string reason);

    /// <summary>The services a failed cleanup was for, the first few named; formats only when logged.</summary>
    private readonly record struct ServiceList(IReadOnlyList<VirtualServiceKey> Keys)
    {
        private const int Named = 3;

        public override string ToString()
        {
            VirtualServiceKey[] distinct = [.. Keys.Distinct()];
            string named = string.Join(", ", distinct.Take(Named));
            return distinct.Length > Named ? $"{named} and {distinct.Length - Named} more" : named;
        }
    }
}
