using System.Net;
using Netlink.Ipvs;

namespace Netlink.Tests.ServiceProxy.Planning;

/// <summary>Short ways to write services and real servers in tests (test ranges 198.18.0.0/15 only).</summary>
internal static class TableBuilder
{
    public static VirtualServiceKey Tcp(string address, ushort port) => VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse(address), port);

    public static VirtualService Service(VirtualServiceKey key, string scheduler = "rr") => new(key) { Scheduler = scheduler };

    public static RealServer Server(string address, ushort port, int weight = 1, ForwardingMethod forward = ForwardingMethod.Masquerade) =>
        new(IPAddress.Parse(address), port) { Weight = weight, Forwarding = forward };

    public static IpvsServiceEntry Entry(VirtualService service, params RealServer[] servers) => new(service, servers);

    /// <summary>What the kernel reports back for a service: the same settings plus its own HASHED flag.</summary>
    public static IpvsServiceEntry AsKernelHasIt(IpvsServiceEntry entry) =>
        entry with { Service = entry.Service with { Flags = entry.Service.Flags | ServiceFlags.Hashed | (entry.Service.PersistenceTimeout > 0 ? ServiceFlags.Persistent : 0) } };
}
