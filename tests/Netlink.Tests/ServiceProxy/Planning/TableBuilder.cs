using System.Net;
using Netlink.Ipvs;
using ServiceProxy.Planning;

namespace Netlink.Tests.ServiceProxy.Planning;

/// <summary>Short ways to write services and real servers in tests (test ranges 198.18.0.0/15 only).</summary>
internal static class TableBuilder
{
    public static VirtualServiceKey Tcp(string address, ushort port) => VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse(address), port);

    public static VirtualService Service(VirtualServiceKey key, string scheduler = "rr") => new(key) { Scheduler = scheduler };

    public static RealServer Server(string address, ushort port, int weight = 1, ForwardingMethod forward = ForwardingMethod.Masquerade) =>
        new(IPAddress.Parse(address), port) { Weight = weight, Forwarding = forward };

    /// <summary>A service with its real servers, settings only (a desired entry, or a kernel one before <see cref="AsKernelHasIt"/>).</summary>
    public static DesiredService Entry(VirtualService service, params RealServer[] servers) => new(service, servers);

    /// <summary>
    /// What the kernel reports back for a service: the same settings, its own HASHED flag and PERSISTENT from the
    /// timeout in the reported flags, and counters that must not matter to a plan.
    /// </summary>
    public static IpvsServiceEntry AsKernelHasIt(DesiredService entry) => new(
        new ObservedVirtualService(entry.Service)
        {
            ReportedFlags = entry.Service.Flags | ServiceFlags.Hashed | (entry.Service.IsPersistent ? ServiceFlags.Persistent : 0),
            Statistics = new IpvsStatistics(7, 70, 0, 7000, 0, 1, 1, 0, 100, 0),
        },
        [.. entry.RealServers.Select(s => new ObservedRealServer(s) { ActiveConnections = 3, InactiveConnections = 2, Statistics = IpvsStatistics.Zero })]);
}
