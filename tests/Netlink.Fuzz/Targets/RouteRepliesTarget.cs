using Netlink.Route;

namespace Netlink.Fuzz.Targets;

/// <summary>rtnetlink dumps as ipvsd reads the node's links and addresses.</summary>
public sealed class RouteRepliesTarget : NetlinkReplyTarget
{
    /// <inheritdoc />
    public override string Name => "route-replies";

    /// <inheritdoc />
    public override string Description => "rtnetlink replies (links, then addresses)";

    /// <inheritdoc />
    protected override IReadOnlyList<Action<NetlinkConnection>> Operations { get; } =
    [
        connection => Client(connection).ListLinks(),
        connection => Client(connection).ListAddresses(),
    ];

    private static RouteClient Client(NetlinkConnection connection) => RouteClient.Open(new NetlinkConnection(connection.Transport, ownsTransport: false));
}
