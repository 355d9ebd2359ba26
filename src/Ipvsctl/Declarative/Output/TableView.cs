using System.Net;
using System.Net.Sockets;
using ServiceProxy.Model;
using Netlink.Ipvs;

namespace Ipvsctl.Declarative.Output;

/// <summary>
/// The kernel's table as a model (what get prints and apply reads back): services sorted by address, their
/// settings only where they differ from the model's defaults, so that get | apply is a no-op.
/// </summary>
internal static class TableView
{
    public static OutputNode Of(IReadOnlyList<IpvsServiceEntry> table)
    {
        var root = new OutputMap();
        if (table.Count == 0)
        {
            return root; // prints {}
        }
        var services = new List<OutputNode>();
        foreach (IpvsServiceEntry entry in table.OrderBy(e => e.Service.Key, EntryOrder.Services))
        {
            OutputMap service = Service(entry.Service.Settings);
            if (entry.RealServers.Count > 0)
            {
                service.Add("destinations", new OutputList([.. entry.RealServers.Select(s => s.Settings).OrderBy(s => s, EntryOrder.RealServers).Select(RealServer)]));
            }
            services.Add(service);
        }
        return root.Add("services", new OutputList(services));
    }

    /// <summary>A service's address and settings (no real servers).</summary>
    public static OutputMap Service(VirtualService service)
    {
        var map = new OutputMap().Add("address", AddressSyntax.Format(service.Key));
        if (service.Key.IsFirewallMark && service.Key.Family == AddressFamily.InterNetworkV6)
        {
            map.Add("family", "ipv6");
        }
        map.Add("sched", service.Scheduler);
        if (service.PersistenceTimeout > 0)
        {
            map.Add("persistent", service.PersistenceTimeout);
        }
        // Null is the single-address default, which the model leaves out.
        if (service.Netmask is PersistenceNetmask mask)
        {
            if (mask.Family == AddressFamily.InterNetworkV6)
            {
                map.Add("netmask", mask.Ipv6PrefixLength);
            }
            else
            {
                map.Add("netmask", mask.ToString());
            }
        }
        IReadOnlyList<string> flags = ModelNames.FlagNames(service.Flags, service.Scheduler);
        if (flags.Count > 0)
        {
            map.Add("flags", new OutputList([.. flags.Select(f => new OutputText(f))], Flow: true));
        }
        if (!string.IsNullOrEmpty(service.PersistenceEngine))
        {
            map.Add("pe", service.PersistenceEngine);
        }
        return map;
    }

    /// <summary>A real server's address and settings; weight and forward always, the rest when set.</summary>
    public static OutputMap RealServer(RealServer server)
    {
        var map = new OutputMap()
            .Add("address", AddressSyntax.Format(server))
            .Add("weight", server.Weight)
            .Add("forward", ModelNames.Forward(server.Forwarding));
        if (server.UpperThreshold > 0)
        {
            map.Add("upper-threshold", server.UpperThreshold);
        }
        if (server.LowerThreshold > 0)
        {
            map.Add("lower-threshold", server.LowerThreshold);
        }
        if (server.Forwarding == ForwardingMethod.Tunnel)
        {
            map.Add("tunnel-type", ModelNames.Tunnel(server.TunnelType));
            if (server.TunnelType == TunnelType.Gue)
            {
                map.Add("tunnel-port", server.TunnelPort);
            }
            if (server.TunnelType != TunnelType.IpIp)
            {
                map.Add("tunnel-checksum", ModelNames.Checksum(server.TunnelFlags));
            }
        }
        return map;
    }
}
