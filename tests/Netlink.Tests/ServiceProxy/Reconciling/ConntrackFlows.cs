using System.Net;
using Netlink.Netfilter.Conntrack;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>Conntrack entries for reconciler tests, as the kernel reports flows through IPVS masquerading.</summary>
internal static class ConntrackFlows
{
    /// <summary>The client every flow comes from.</summary>
    public const string Client = "198.18.1.2";

    /// <summary>
    /// A flow from <see cref="Client"/>:<paramref name="clientPort"/> to <paramref name="vip"/>:<paramref name="port"/>
    /// whose replies come from <paramref name="answeredBy"/> (a real server, or the virtual IP itself when nothing
    /// translated the flow).
    /// </summary>
    public static ConntrackEntry UdpFlow(string vip, ushort port, string answeredBy, ushort clientPort = 40053, byte protocol = 17)
    {
        IPAddress client = IPAddress.Parse(Client);
        return new ConntrackEntry(
            new ConntrackTuple(client, IPAddress.Parse(vip), protocol, clientPort, port),
            new ConntrackTuple(IPAddress.Parse(answeredBy), client, protocol, port, clientPort),
            Status: 0, TimeoutSeconds: 30, Mark: 0, Id: 0);
    }
}
