using static Netlink.Ipvs.Codec.IpvsConstants;

namespace Netlink.Testing;

public sealed partial class FakeIpvsKernel
{
    /// <summary>IP_VS_CONN_F_TUNNEL: the only forwarding that may cross address families.</summary>
    private const uint Tunnel = 2;

    /// <summary>IP_VS_CONN_F_TUNNEL_TYPE_GUE: needs a tunnel port.</summary>
    private const byte Gue = 1;

    /// <summary>ipvs->mixed_address_family_dests: real servers of another family than their service's.</summary>
    private int _mixedFamilyRealServers;

    /// <summary>
    /// ip_vs_genl_set_cmd for NEW/SET/DEL_DEST: the real server (full but for DEL_DEST; EINVAL when malformed), its
    /// family defaulting to the service's, EAFNOSUPPORT for a family other than AF_INET/AF_INET6, and for NEW/SET a
    /// family other than the service's refused with EINVAL unless forwarding is tunnel and no sync daemon runs.
    /// </summary>
    private int ChangeRealServer(byte command, ServiceEntry service, in TopLevel top)
    {
        int error = IpvsRequests.ParseDestination(top.Destination, top.HasDestination, command != CmdDelDest, out DestinationRequest request);
        if (error != 0)
        {
            return error;
        }
        if (request.Family == 0)
        {
            request.Family = service.Id.Family;
        }
        if (request.Family is not (LinuxAddressFamily.Inet or LinuxAddressFamily.Inet6))
        {
            return Errno.EAFNOSUPPORT;
        }
        request.Address = IpvsRequests.Normalize(request.Family, request.Address);
        if (request.Family != service.Id.Family && command != CmdDelDest && (SyncState != 0 || request.Forwarding != Tunnel))
        {
            return Errno.EINVAL;
        }
        var id = new DestinationId(request.Family, request.Address, request.Port);
        return command switch
        {
            CmdNewDest => AddRealServer(service, id, request),
            CmdSetDest => EditRealServer(service, id, request),
            _ => DeleteRealServer(service, id),
        };
    }

    /// <summary>
    /// ip_vs_add_dest: the settings' checks, then EEXIST for an address and port the service has, then
    /// (ip_vs_new_dest) EINVAL for an address that is not unicast. The new real server goes first in the list.
    /// </summary>
    private int AddRealServer(ServiceEntry service, DestinationId id, in DestinationRequest request)
    {
        int error = CheckRealServerSettings(request);
        if (error != 0)
        {
            return error;
        }
        if (service.DestinationIndex.ContainsKey(id))
        {
            return Errno.EEXIST;
        }
        if (!AddressRules.IsUsableRealServer(id.Family, id.Address))
        {
            return Errno.EINVAL;
        }
        var server = new RealServerEntry(id);
        ApplyRealServerSettings(server, request);
        service.DestinationIndex.Add(id, service.Destinations.AddFirst(server));
        _realServers++;
        if (id.Family != service.Id.Family)
        {
            _mixedFamilyRealServers++;
        }
        return 0;
    }

    /// <summary>ip_vs_edit_dest: the settings' checks, then ENOENT when the service has no such real server.</summary>
    private static int EditRealServer(ServiceEntry service, DestinationId id, in DestinationRequest request)
    {
        int error = CheckRealServerSettings(request);
        if (error != 0)
        {
            return error;
        }
        if (!service.DestinationIndex.TryGetValue(id, out LinkedListNode<RealServerEntry>? node))
        {
            return Errno.ENOENT;
        }
        ApplyRealServerSettings(node.Value, request);
        return 0;
    }

    /// <summary>ip_vs_del_dest: ENOENT when the service has no such real server.</summary>
    private int DeleteRealServer(ServiceEntry service, DestinationId id)
    {
        if (!service.DestinationIndex.Remove(id, out LinkedListNode<RealServerEntry>? node))
        {
            return Errno.ENOENT;
        }
        service.Destinations.Remove(node);
        _realServers--;
        if (id.Family != service.Id.Family)
        {
            _mixedFamilyRealServers--;
        }
        return 0;
    }

    /// <summary>
    /// The checks ip_vs_add_dest and ip_vs_edit_dest share, in their order: ERANGE for a weight below 0 (a u32 above
    /// INT_MAX), ERANGE for a lower threshold above the upper, EINVAL for an upper threshold above INT_MAX, EINVAL
    /// for a GUE tunnel without a port.
    /// </summary>
    private static int CheckRealServerSettings(in DestinationRequest request)
    {
        if (request.Weight < 0)
        {
            return Errno.ERANGE;
        }
        if (request.LowerThreshold > request.UpperThreshold)
        {
            return Errno.ERANGE;
        }
        if (request.UpperThreshold > int.MaxValue)
        {
            return Errno.EINVAL;
        }
        if (request.TunnelType == Gue && request.TunnelPort == 0)
        {
            return Errno.EINVAL;
        }
        return 0;
    }

    /// <summary>__ip_vs_update_dest: every setting replaced (tunnel fields absent from the request become 0).</summary>
    private static void ApplyRealServerSettings(RealServerEntry server, in DestinationRequest request)
    {
        server.Forwarding = request.Forwarding;
        server.Weight = request.Weight;
        server.UpperThreshold = request.UpperThreshold;
        server.LowerThreshold = request.LowerThreshold;
        server.TunnelType = request.TunnelType;
        server.TunnelPort = request.TunnelPort;
        server.TunnelFlags = request.TunnelFlags;
    }
}
