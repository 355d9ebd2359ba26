using Netlink.Netfilter.Conntrack;

namespace Netlink.Fuzz.Targets;

/// <summary>conntrack dumps as the UDP cleanup after a sync reads them.</summary>
public sealed class ConntrackRepliesTarget : NetlinkReplyTarget
{
    /// <inheritdoc />
    public override string Name => "conntrack-replies";

    /// <inheritdoc />
    public override string Description => "conntrack table dumps (tuples, status, timeouts, marks), listed whole and filtered";

    /// <inheritdoc />
    protected override IReadOnlyList<Action<NetlinkConnection>> Operations { get; } =
    [
        connection => Client(connection).List(),
        connection => Client(connection).List(new ConntrackFilter { Protocol = 17, OriginalDestination = System.Net.IPAddress.Parse("198.18.0.1"), OriginalDestinationPort = 53 }),
    ];

    private static ConntrackClient Client(NetlinkConnection connection) => ConntrackClient.Open(new NetlinkConnection(connection.Transport, ownsTransport: false));
}
