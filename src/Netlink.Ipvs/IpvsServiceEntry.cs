namespace Netlink.Ipvs;

/// <summary>A virtual service with its real servers, as <see cref="IpvsClient.GetTable"/> reads them.</summary>
/// <param name="Service">The service and its counters.</param>
/// <param name="RealServers">Its real servers, in the kernel's order.</param>
public sealed record IpvsServiceEntry(VirtualService Service, IReadOnlyList<RealServer> RealServers);
