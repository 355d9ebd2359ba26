using System.Net;
using Microsoft.Extensions.Logging;
using Netlink;
using Netlink.Ipvs;
using ServiceProxy.Health;
using ServiceProxy.Planning;

namespace ServiceProxy.Reconciling;

public sealed partial class ServiceReconciler
{
    /// <summary>
    /// What the kernel should hold for <paramref name="key"/> now: the desired real servers with health results applied
    /// (inhibited ones at weight 0, removed ones left out), plus removed TCP real servers that still have connections,
    /// at weight 0 until they drain; null when the service is not desired (it is deleted at once, as kube-proxy does).
    /// </summary>
    private DesiredService? Effective(VirtualServiceKey key, SyncContext context)
    {
        if (!_desired.TryGetValue(key, out DesiredService? desired))
        {
            return null;
        }
        var servers = new List<RealServer>(desired.RealServers.Count);
        var wanted = new HashSet<(IPAddress, ushort)>(desired.RealServers.Count);
        foreach (RealServer server in desired.RealServers)
        {
            wanted.Add((server.Address, server.Port));
            // Wanted again while draining: the plan puts its weight back in place, its connections carry on.
            _draining.Remove((key, server.Address, server.Port));
            if (desired.HealthCheck is { } check && !Health.IsHealthy(key, server.Address, server.Port))
            {
                if (check.OnFailure == HealthCheckFailureAction.Inhibit)
                {
                    servers.Add(server with { Weight = 0 });
                }
                continue;
            }
            servers.Add(server);
        }
        if (_view.Find(key) is { } held && DrainsConnections(key))
        {
            foreach (RealServer server in held.RealServers.Values)
            {
                if (!wanted.Contains((server.Address, server.Port)) && KeepDraining(key, server, context))
                {
                    servers.Add(server with { Weight = 0 });
                }
            }
        }
        return desired with { RealServers = servers };
    }

    /// <summary>TCP connections (and a firewall mark's, which may be TCP) end on their own; UDP and SCTP "connections" would not.</summary>
    private static bool DrainsConnections(VirtualServiceKey key) => key.Protocol == IpvsProtocol.Tcp || key.IsFirewallMark;

    private bool KeepDraining(VirtualServiceKey key, RealServer server, SyncContext context)
    {
        var drainKey = (key, server.Address, server.Port);
        bool known = _draining.TryGetValue(drainKey, out DateTimeOffset since);
        if (!known)
        {
            since = context.Now;
        }
        uint connections = Connections(key, server, context);
        if (connections == 0 || context.Now - since >= _options.DrainTimeout)
        {
            if (known && connections > 0)
            {
                LogDrainTimedOut(_logger, server.Endpoint, key, connections);
            }
            return false; // the plan deletes it; ForgetDeleted drops the record
        }
        if (!known)
        {
            if (_draining.Count == 0)
            {
                _lastDrainCheck = context.Now; // the first check is one interval after the first drain began
            }
            _draining[drainKey] = since;
            LogDraining(_logger, server.Endpoint, key, connections);
        }
        return true;
    }

    /// <summary>ActiveConn + InActConn of one real server, from this sync's read of its service (read now if not yet).</summary>
    private uint Connections(VirtualServiceKey key, RealServer server, SyncContext context)
    {
        if (!context.Connections.TryGetValue(key, out IReadOnlyList<ObservedRealServer>? servers))
        {
            servers = _ipvs.ListRealServers(key);
            context.Connections[key] = servers;
        }
        foreach (ObservedRealServer observed in servers)
        {
            if (observed.Settings.SameEndpoint(server))
            {
                return observed.ActiveConnections + observed.InactiveConnections;
            }
        }
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "real server {RealServer} of {Service} draining at weight 0 ({Connections} connections)")]
    private static partial void LogDraining(ILogger logger, string realServer, VirtualServiceKey service, uint connections);

    [LoggerMessage(Level = LogLevel.Warning, Message = "real server {RealServer} of {Service} still has {Connections} connections after the drain timeout: deleting it")]
    private static partial void LogDrainTimedOut(ILogger logger, string realServer, VirtualServiceKey service, uint connections);
}
