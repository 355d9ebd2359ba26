using System.Net;
using System.Net.Sockets;
using Netlink;

namespace ServiceProxy.Rules;

/// <summary>A service's virtual IP address with the protocol and port it listens on (a Kubernetes cluster IP and port).</summary>
/// <param name="Address">The virtual IP, IPv4 or IPv6.</param>
/// <param name="Protocol">The transport protocol.</param>
/// <param name="Port">The port.</param>
public sealed record VirtualIp(IPAddress Address, ServiceProtocol Protocol, ushort Port)
{
    /// <summary>Whether <see cref="Address"/> is an IPv6 address.</summary>
    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <inheritdoc />
    public override string ToString() => $"{Protocol.ToString().ToLowerInvariant()} {EndpointText.Format(Address, Port)}";
}
