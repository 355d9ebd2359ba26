using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Netlink.Ipvs;

namespace Netlink.Testing;

public sealed partial class FakeIpvsKernel
{
    /// <summary>
    /// Sets the connection counts one real server reports (ActiveConn, InActConn), as traffic would: for testing code
    /// that drains real servers. Throws <see cref="InvalidOperationException"/> when there is no such real server.
    /// </summary>
    public void SetConnections(VirtualServiceKey service, IPAddress address, ushort port, uint active, uint inactive)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(address);
        ushort family = Family(service.Family);
        ServiceId id = ServiceId.Of(family, (ushort)service.Protocol, service.Address is null ? 0 : Raw(service.Address), service.Port, service.FirewallMark);
        lock (_gate)
        {
            if (!_services.TryGetValue(id, out ServiceEntry? entry)
                || !entry.DestinationIndex.TryGetValue(new DestinationId(Family(address.AddressFamily), Raw(address), port), out LinkedListNode<RealServerEntry>? node))
            {
                throw new InvalidOperationException($"no real server {EndpointText.Format(address, port)} in {service}");
            }
            node.Value.ActiveConnections = active;
            node.Value.InactiveConnections = inactive;
        }
    }

    private static ushort Family(AddressFamily family) => (ushort)(family == AddressFamily.InterNetworkV6 ? 10 : 2);

    /// <summary>The address as the wire carries it in union nf_inet_addr (IPv4 in the first 4 bytes).</summary>
    private static UInt128 Raw(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt128LittleEndian(bytes);
    }
}
