using System.Net;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>The fake node's own addresses on eth0 (those of the Kubernetes tests' node-a); in memory, never on a wire.</summary>
internal static class NodeAddresses
{
    public static readonly IPAddress V4 = IPAddress.Parse("192.0.2.10");
    public static readonly IPAddress V6 = IPAddress.Parse("2001:db8::10");
}
