using ServiceProxy.Model;
using Netlink.Ipvs;
using ServiceProxy.Planning;

namespace Ipvsctl.Declarative.Output;

/// <summary>
/// A plan as changeset prints it: "items:" with one entry per step in the order apply runs them, each with its
/// type (aschmidt75/ipvsctl's add-service ... delete-destination, plus update-timeouts), a description saying why,
/// and the service and destination in model form. An empty plan prints {}.
/// </summary>
internal static class ChangesetView
{
    public static OutputNode Of(ServiceTablePlan plan)
    {
        var root = new OutputMap();
        if (plan.IsEmpty)
        {
            return root;
        }
        var items = new List<OutputNode>();
        foreach (ServiceTableChange change in plan.Changes)
        {
            items.Add(Item(change));
        }
        if (plan.Timeouts is IpvsTimeouts timeouts)
        {
            var values = new OutputMap();
            AddIfSet(values, "tcp", timeouts.Tcp);
            AddIfSet(values, "tcpfin", timeouts.TcpFin);
            AddIfSet(values, "udp", timeouts.Udp);
            items.Add(new OutputMap()
                .Add("type", "update-timeouts")
                .Add("description", plan.DescribeTimeouts())
                .Add("timeouts", values));
        }
        return root.Add("items", new OutputList(items));
    }

    public static string TypeName(IpvsOperationKind kind) => kind switch
    {
        IpvsOperationKind.AddService => "add-service",
        IpvsOperationKind.UpdateService => "update-service",
        IpvsOperationKind.DeleteService => "delete-service",
        IpvsOperationKind.AddRealServer => "add-destination",
        IpvsOperationKind.UpdateRealServer => "update-destination",
        _ => "delete-destination",
    };

    /// <summary>"update destination 198.19.0.1:80 of service tcp://198.18.0.1:80: weight 1 -> 2".</summary>
    public static string Describe(ServiceTableChange change)
    {
        string service = AddressSyntax.Format(change.Service.Key);
        string destination = change.RealServer is null ? string.Empty : AddressSyntax.Format(change.RealServer);
        string changed = change.Changed.Count > 0 ? ": " + string.Join(", ", change.Changed) : string.Empty;
        return change.Kind switch
        {
            IpvsOperationKind.AddService => $"add service {service}: not in the IPVS table",
            IpvsOperationKind.UpdateService => $"update service {service}{changed}",
            IpvsOperationKind.DeleteService => $"delete service {service}: not in the model",
            IpvsOperationKind.AddRealServer => $"add destination {destination} to service {service}: not in the IPVS table",
            IpvsOperationKind.UpdateRealServer => $"update destination {destination} of service {service}{changed}",
            _ => $"delete destination {destination} from service {service}: not in the model",
        };
    }

    private static OutputMap Item(ServiceTableChange change)
    {
        var item = new OutputMap().Add("type", TypeName(change.Kind)).Add("description", Describe(change));
        if (change.RealServer is null)
        {
            item.Add("service", TableView.Service(change.Service));
        }
        else
        {
            item.Add("service", Handle(change.Service.Key));
            item.Add("destination", TableView.RealServer(change.RealServer));
        }
        return item;
    }

    /// <summary>Just what names the service: its address, and the family of an IPv6 mark.</summary>
    private static OutputMap Handle(VirtualServiceKey key)
    {
        var map = new OutputMap().Add("address", AddressSyntax.Format(key));
        if (key.IsFirewallMark && key.Family == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            map.Add("family", "ipv6");
        }
        return map;
    }

    private static void AddIfSet(OutputMap map, string key, uint value)
    {
        if (value != 0)
        {
            map.Add(key, value);
        }
    }
}
