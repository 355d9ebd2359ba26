using System.Net;
using Netlink.Ipvs;

namespace ServiceProxy.Planning;

/// <summary>
/// Computes the smallest ordered plan that takes the kernel's IPVS table to a desired one. Settings the kernel can
/// edit (scheduler, flags, persistence, netmask, persistence engine; weight, forwarding, thresholds, tunnel) become
/// in-place updates, so connections and counters survive; only identity changes (a service's protocol, address,
/// port, mark or family; a real server's address or port) become delete plus add.
/// </summary>
/// <remarks>
/// Order, chosen so traffic keeps flowing while the plan runs and so a plan cut short anywhere leaves a table that
/// planning again finishes:
/// 1. service adds and edits: new services exist before real servers are added to them;
/// 2. real server adds and edits, before any real server goes: when a service swaps its real servers, the new
///    ones take traffic before the old ones leave, so the service never has none;
/// 3. real server deletes (not those of services about to be deleted, which go with their service);
/// 4. service deletes, last: nothing later depends on them;
/// 5. timeouts, which no other step depends on.
/// Every step moves one entry to its desired state and the planner keeps no state, so after a failure at any step
/// the next plan is exactly the steps not yet done (plus whatever else changed meanwhile).
/// </remarks>
public static class ServiceTablePlanner
{
    /// <summary>Plans against tables already read (<see cref="IpvsClient.GetTable"/>, <see cref="IpvsClient.GetTimeouts"/>); needs no kernel.</summary>
    /// <param name="current">The kernel's table.</param>
    /// <param name="currentTimeouts">The kernel's timeouts; needed only when <paramref name="desired"/> has timeouts.</param>
    /// <param name="desired">The table wanted.</param>
    /// <param name="options">Comparison options (null: defaults).</param>
    public static ServiceTablePlan Plan(IReadOnlyList<IpvsServiceEntry> current, IpvsTimeouts? currentTimeouts, DesiredServiceTable desired, ServiceTablePlanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desired);
        options ??= ServiceTablePlanOptions.Default;

        var currentByKey = new Dictionary<VirtualServiceKey, IpvsServiceEntry>(current.Count);
        foreach (IpvsServiceEntry entry in current)
        {
            currentByKey[entry.Service.Key] = entry;
        }

        var serviceSteps = new List<ServiceTableChange>();
        var realServerSteps = new List<ServiceTableChange>();
        var realServerDeletes = new List<ServiceTableChange>();
        var desiredKeys = new HashSet<VirtualServiceKey>();
        foreach (DesiredService wanted in desired.Services)
        {
            VirtualService service = wanted.Service;
            desiredKeys.Add(service.Key);
            if (!currentByKey.TryGetValue(service.Key, out IpvsServiceEntry? existing))
            {
                serviceSteps.Add(new ServiceTableChange(IpvsOperationKind.AddService, service, null, []));
                foreach (RealServer server in wanted.RealServers)
                {
                    realServerSteps.Add(new ServiceTableChange(IpvsOperationKind.AddRealServer, service, server, []));
                }
                continue;
            }

            // Equality is "same settings" (the parser leaves out what the kernel adds), so a read-back of what was
            // written never shows up as an edit.
            if (!existing.Service.Settings.Equals(service))
            {
                serviceSteps.Add(new ServiceTableChange(IpvsOperationKind.UpdateService, service, null, SettingChanges.Of(existing.Service.Settings, service)));
            }
            PlanRealServers(service, existing.RealServers, wanted.RealServers, options, realServerSteps, realServerDeletes);
        }

        var serviceDeletes = new List<ServiceTableChange>();
        foreach (IpvsServiceEntry entry in current)
        {
            if (!desiredKeys.Contains(entry.Service.Key))
            {
                serviceDeletes.Add(new ServiceTableChange(IpvsOperationKind.DeleteService, entry.Service.Settings, null, []));
            }
        }

        List<ServiceTableChange> steps = [.. serviceSteps, .. realServerSteps, .. realServerDeletes, .. serviceDeletes];
        return new ServiceTablePlan(steps, PlanTimeouts(desired.Timeouts, currentTimeouts), desired.Timeouts is null ? null : currentTimeouts);
    }

    /// <summary>Reads the kernel's table (and timeouts, when <paramref name="desired"/> has some) and plans against it.</summary>
    public static ServiceTablePlan Plan(IIpvsClient client, DesiredServiceTable desired, ServiceTablePlanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(desired);
        IReadOnlyList<IpvsServiceEntry> current = client.GetTable();
        IpvsTimeouts? timeouts = desired.Timeouts is null ? null : client.GetTimeouts();
        return Plan(current, timeouts, desired, options);
    }

    private static void PlanRealServers(
        VirtualService service,
        IReadOnlyList<ObservedRealServer> existing,
        IReadOnlyList<RealServer> wanted,
        ServiceTablePlanOptions options,
        List<ServiceTableChange> addsAndUpdates,
        List<ServiceTableChange> deletes)
    {
        var existingByEndpoint = new Dictionary<(IPAddress, ushort), RealServer>(existing.Count);
        foreach (ObservedRealServer server in existing)
        {
            existingByEndpoint[(server.Settings.Address, server.Settings.Port)] = server.Settings;
        }
        var wantedEndpoints = new HashSet<(IPAddress, ushort)>();
        foreach (RealServer server in wanted)
        {
            wantedEndpoints.Add((server.Address, server.Port));
            if (!existingByEndpoint.TryGetValue((server.Address, server.Port), out RealServer? present))
            {
                addsAndUpdates.Add(new ServiceTableChange(IpvsOperationKind.AddRealServer, service, server, []));
                continue;
            }
            RealServer target = options.KeepWeights ? server with { Weight = present.Weight } : server;
            if (!present.Equals(target))
            {
                addsAndUpdates.Add(new ServiceTableChange(IpvsOperationKind.UpdateRealServer, service, target, SettingChanges.Of(present, target)));
            }
        }
        foreach (ObservedRealServer server in existing)
        {
            if (!wantedEndpoints.Contains((server.Settings.Address, server.Settings.Port)))
            {
                deletes.Add(new ServiceTableChange(IpvsOperationKind.DeleteRealServer, service, server.Settings, []));
            }
        }
    }

    /// <summary>The fields of <paramref name="desired"/> that differ from the kernel's, others 0; null when none differ.</summary>
    private static IpvsTimeouts? PlanTimeouts(IpvsTimeouts? desired, IpvsTimeouts? current)
    {
        if (desired is null)
        {
            return null;
        }
        if (current is null)
        {
            throw new ArgumentNullException(nameof(current), "the desired table has timeouts: pass the kernel's current timeouts");
        }
        uint tcp = desired.Tcp != 0 && desired.Tcp != current.Tcp ? desired.Tcp : 0;
        uint fin = desired.TcpFin != 0 && desired.TcpFin != current.TcpFin ? desired.TcpFin : 0;
        uint udp = desired.Udp != 0 && desired.Udp != current.Udp ? desired.Udp : 0;
        return tcp == 0 && fin == 0 && udp == 0 ? null : new IpvsTimeouts(tcp, fin, udp);
    }
}
