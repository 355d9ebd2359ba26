using Netlink.Ipvs;

namespace ServiceProxy.Planning;

/// <summary>
/// The table the kernel should hold: every virtual service with its real servers, and optionally the connection
/// timeouts. What is not listed is deleted by a plan; a timeout of 0 (or no <see cref="Timeouts"/>) is left as it is.
/// </summary>
public sealed class DesiredServiceTable
{
    /// <summary>Creates a desired table; throws when a service or a real server of one service appears twice.</summary>
    /// <param name="services">The services with their real servers; the order is kept for plans.</param>
    /// <param name="timeouts">Timeouts to enforce (0 in a field: leave that one alone), or null to leave all alone.</param>
    public DesiredServiceTable(IEnumerable<DesiredService> services, IpvsTimeouts? timeouts = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = [.. services];
        Timeouts = timeouts;
        var keys = new HashSet<VirtualServiceKey>();
        foreach (DesiredService entry in Services)
        {
            ArgumentNullException.ThrowIfNull(entry);
            if (!keys.Add(entry.Service.Key))
            {
                throw new ArgumentException($"service {entry.Service.Key} is listed twice", nameof(services));
            }
            for (int i = 0; i < entry.RealServers.Count; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    if (entry.RealServers[i].SameEndpoint(entry.RealServers[j]))
                    {
                        throw new ArgumentException($"real server {entry.RealServers[i].Endpoint} is listed twice in {entry.Service.Key}", nameof(services));
                    }
                }
            }
        }
    }

    /// <summary>An empty table: applying it deletes every service.</summary>
    public static DesiredServiceTable Empty { get; } = new([]);

    /// <summary>The services with their real servers, in the order given.</summary>
    public IReadOnlyList<DesiredService> Services { get; }

    /// <summary>The timeouts to enforce, or null.</summary>
    public IpvsTimeouts? Timeouts { get; }
}
