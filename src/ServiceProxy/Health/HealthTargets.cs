using ServiceProxy.Planning;

namespace ServiceProxy.Health;

/// <summary>The health targets a desired table asks for, to hand to <see cref="HealthMonitor.SetTargets"/>.</summary>
public static class HealthTargets
{
    /// <summary>Every real server of every service that has a <see cref="DesiredService.HealthCheck"/>, with that check, in table order.</summary>
    public static IReadOnlyList<HealthTarget> Of(DesiredServiceTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var targets = new List<HealthTarget>();
        foreach (DesiredService service in table.Services)
        {
            if (service.HealthCheck is not HealthCheck check)
            {
                continue;
            }
            foreach (Netlink.Ipvs.RealServer server in service.RealServers)
            {
                targets.Add(new HealthTarget(service.Service.Key, server.Address, server.Port, check));
            }
        }
        return targets;
    }
}
