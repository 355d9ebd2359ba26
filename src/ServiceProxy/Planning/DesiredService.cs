using Netlink.Ipvs;
using ServiceProxy.Health;

namespace ServiceProxy.Planning;

/// <summary>
/// One service of a <see cref="DesiredServiceTable"/>: the settings wanted for it and for each of its real servers.
/// Settings only: the kernel's counters are in <see cref="IpvsServiceEntry"/>, which the planner compares against.
/// Two are equal when every setting is: the service, the real servers in the same order, and the health check.
/// </summary>
/// <param name="Service">The service's settings.</param>
/// <param name="RealServers">Its real servers' settings; the order is kept for plans.</param>
public sealed record DesiredService(VirtualService Service, IReadOnlyList<RealServer> RealServers)
{
    /// <summary>How its real servers are checked, for a program that runs checks (ipvsd); null for none. Plans ignore it.</summary>
    public HealthCheck? HealthCheck { get; init; }

    /// <summary>Whether <paramref name="other"/> wants the same settings (a record compares lists by reference; this by content).</summary>
    public bool Equals(DesiredService? other) =>
        other is not null
        && Service.Equals(other.Service)
        && RealServers.SequenceEqual(other.RealServers)
        && Equals(HealthCheck, other.HealthCheck);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Service, RealServers.Count, HealthCheck);
}
