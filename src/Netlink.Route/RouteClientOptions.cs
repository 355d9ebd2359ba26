namespace Netlink.Route;

/// <summary>How <see cref="RouteClient.Open(RouteClientOptions?)"/> connects: namespace, receive timeout, buffer sizes.</summary>
public sealed class RouteClientOptions : NetlinkClientOptions
{
    /// <summary>The defaults.</summary>
    public static RouteClientOptions Default { get; } = new();
}
