namespace Netlink.Netfilter.IpSet;

/// <summary>How <see cref="IpSetClient.Open(IpSetClientOptions?)"/> connects: namespace, receive timeout, buffer sizes.</summary>
public sealed class IpSetClientOptions : NetlinkClientOptions
{
    /// <summary>The defaults.</summary>
    public static IpSetClientOptions Default { get; } = new();
}
