using System.Net;
using Netlink.Ipvs;

namespace ServiceProxy.Reconciling;

/// <summary>What the reconciler asks of a health checker: whether one real server of one service passes its check.</summary>
public interface IRealServerHealth
{
    /// <summary>False only when the real server at <paramref name="address"/>:<paramref name="port"/> of <paramref name="service"/> failed its check.</summary>
    bool IsHealthy(VirtualServiceKey service, IPAddress address, ushort port);
}

/// <summary>No health checks: every real server passes.</summary>
public sealed class NoHealthChecks : IRealServerHealth
{
    /// <summary>The one instance.</summary>
    public static NoHealthChecks Instance { get; } = new();

    /// <inheritdoc/>
    public bool IsHealthy(VirtualServiceKey service, IPAddress address, ushort port) => true;
}
