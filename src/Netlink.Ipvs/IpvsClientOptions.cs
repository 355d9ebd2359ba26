namespace Netlink.Ipvs;

/// <summary>How <see cref="IpvsClient.Open(IpvsClientOptions?)"/> connects: namespace, receive timeout, buffer sizes.</summary>
public sealed class IpvsClientOptions : NetlinkClientOptions
{
    /// <summary>The defaults.</summary>
    public static IpvsClientOptions Default { get; } = new();
}
