using System.Net;
using Netlink;
using Netlink.Ipvs;

namespace ServiceProxy.Health;

/// <summary>What is checked: one real server of one service, with that service's check.</summary>
/// <param name="Service">The virtual service the real server belongs to.</param>
/// <param name="Address">The real server's address.</param>
/// <param name="Port">The real server's port (as in the service table; the check may probe another, <see cref="ProbePort"/>).</param>
/// <param name="Check">How it is checked.</param>
/// <remarks>
/// Equality is by value: two targets are equal when service, address, port and every setting of the check are, which
/// is how a monitor given a new set of targets tells an unchanged one (kept with its state) from a changed one.
/// </remarks>
public sealed record HealthTarget(VirtualServiceKey Service, IPAddress Address, ushort Port, HealthCheck Check)
{
    /// <summary>The port a probe connects to: the check's own port, or the real server's when the check names none.</summary>
    public ushort ProbePort => Check.Port ?? Port;

    /// <summary>"198.18.1.2:80" or "[2001:db8::2]:80": the real server as logs name it.</summary>
    public string RealServer => EndpointText.Format(Address, Port);

    /// <summary>"real server 198.18.1.2:80 of TCP 198.18.0.1:80".</summary>
    public override string ToString() => $"real server {RealServer} of {Service}";
}
