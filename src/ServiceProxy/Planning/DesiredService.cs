using Netlink.Ipvs;
using ServiceProxy.Health;

namespace ServiceProxy.Planning;

/// <summary>
/// One service of a <see cref="DesiredServiceTable"/>: the settings wanted for it and for each of its real servers.
/// Settings only: the kernel's counters are in <see cref="IpvsServiceEntry"/>, which the planner compares against.
/// </summary>
/// <param name="Service">The service's settings.</param>
/// <param name="RealServers">Its real servers' settings; the order is kept for plans.</param>
public sealed record DesiredService(VirtualService Service, IReadOnlyList<RealServer> RealServers)
{
    /// <summary>How its real servers are checked, for a program that runs checks (ipvsd); null for none. Plans ignore it.</summary>
    public HealthCheck? HealthCheck { get; init; }
}
