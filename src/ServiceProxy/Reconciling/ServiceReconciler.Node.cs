using System.Net;
using Microsoft.Extensions.Logging;
using Netlink;
using Netlink.Ipvs;
using Netlink.Netfilter.Conntrack;
using ServiceProxy.Planning;
using ServiceProxy.Rules;
using ServiceProxy.VirtualIps;

namespace ServiceProxy.Reconciling;

public sealed partial class ServiceReconciler
{
    private void ApplyVirtualIps(SyncContext context)
    {
        if (VirtualIps is null)
        {
            _virtualIpsDirty = false;
            return;
        }
        if (!_virtualIpsDirty)
        {
            return;
        }
        if (_options.DryRun)
        {
            context.VirtualIps = VirtualIps.Preview(WantedVirtualIps());
            _virtualIpsDirty = false;
            return;
        }
        IReadOnlyCollection<IPAddress> wanted = WantedVirtualIps();
        VirtualIpChanges changes = VirtualIps.Bind(wanted);
        if (context.FullRead)
        {
            context.DriftRepairs += changes.Added.Count(_bound.Contains);
        }
        _bound.Clear();
        _bound.UnionWith(wanted.Except(changes.AlreadyLocal));
        context.VirtualIps = changes;
        _virtualIpsDirty = false;
    }

    private void ApplyRules(SyncContext context)
    {
        if (Rules is null)
        {
            _rulesDirty = false;
            return;
        }
        if (!_rulesDirty)
        {
            return;
        }
        ServiceRuleSet wanted = WantedRules();
        if (context.FullRead || _options.DryRun)
        {
            ServiceRuleSet? installed = Rules.Read();
            if (wanted.Equals(installed))
            {
                _rulesInstalled = wanted;
                _rulesDirty = false;
                return;
            }
            if (_rulesInstalled is not null && !_options.DryRun)
            {
                context.DriftRepairs++;
            }
        }
        else if (wanted.Equals(_rulesInstalled))
        {
            _rulesDirty = false;
            return;
        }
        if (!_options.DryRun)
        {
            Rules.Apply(wanted);
            _rulesInstalled = wanted;
        }
        context.RulesApplied = true;
        _rulesDirty = false;
    }

    /// <summary>
    /// UDP and SCTP have no end a drain could wait for, and conntrack would keep steering a client's datagrams to a
    /// real server that is gone (kubernetes #125467): their entries go with the real server or the service.
    /// </summary>
    private void DeleteConntrackEntries(SyncContext context)
    {
        if (Conntrack is null)
        {
            return;
        }
        foreach (ServiceTableChange change in context.Changes)
        {
            VirtualServiceKey key = change.Service.Key;
            if (key.IsFirewallMark || key.Address is null || key.Protocol is not (IpvsProtocol.Udp or IpvsProtocol.Sctp))
            {
                continue;
            }
            ConntrackFilter? filter = change.Kind switch
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
            if (filter is null)
            {
                continue;
            }
            try
            {
                context.ConntrackEntriesDeleted += Conntrack.Delete(filter);
            }
            catch (NetlinkException e)
            {
                LogConntrackFailed(_logger, change.ToString(), e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "conntrack entries of {Change} not deleted: {Reason}")]
    private static partial void LogConntrackFailed(ILogger logger, string change, string reason);
}
