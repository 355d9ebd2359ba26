namespace Netlink.Netfilter.Conntrack;

/// <summary>How <see cref="ConntrackClient.Open(ConntrackClientOptions?)"/> connects: namespace, receive timeout, buffer sizes.</summary>
public sealed class ConntrackClientOptions : NetlinkClientOptions
{
    /// <summary>The defaults.</summary>
    public static ConntrackClientOptions Default { get; } = new();
}
