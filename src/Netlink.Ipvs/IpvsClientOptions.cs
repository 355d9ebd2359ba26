namespace Netlink.Ipvs;

/// <summary>How <see cref="IpvsClient.Open"/> connects.</summary>
public sealed class IpvsClientOptions
{
    /// <summary>Work on the IPVS table of this network namespace (null: the caller's).</summary>
    public NetworkNamespace? Namespace { get; init; }

    /// <summary>How long to wait for any one reply from the kernel.</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The defaults.</summary>
    public static IpvsClientOptions Default { get; } = new();
}
