namespace Netlink.Ipvs;

/// <summary>A virtual service with its real servers, as <see cref="IpvsClient.GetTable"/> reads them.</summary>
/// <param name="Service">The service's settings and counters.</param>
/// <param name="RealServers">Its real servers with their connections and counters, in the kernel's order.</param>
public sealed record IpvsServiceEntry(ObservedVirtualService Service, IReadOnlyList<ObservedRealServer> RealServers);
