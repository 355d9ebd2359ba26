using Netlink.Ipvs;

namespace Netlink.Fuzz.Targets;

/// <summary>IPVS's generic netlink replies as ipvsadm -L, ipvsctl get and ipvsd's syncs read them.</summary>
public sealed class IpvsRepliesTarget : NetlinkReplyTarget
{
    /// <inheritdoc />
    public override string Name => "ipvs-replies";

    /// <inheritdoc />
    public override string Description => "IPVS replies (info, the whole table with real servers, timeouts, sync daemons, one service)";

    /// <inheritdoc />
    protected override IReadOnlyList<Action<NetlinkConnection>> Operations { get; } =
    [
        connection => Use(connection, ipvs => ipvs.GetInfo()),
        connection => Use(connection, ipvs => ipvs.GetTable()),
        connection => Use(connection, ipvs => ipvs.GetTimeouts()),
        connection => Use(connection, ipvs => ipvs.ListSyncDaemons()),
        connection => Use(connection, ipvs => ipvs.GetService(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, System.Net.IPAddress.Parse("198.18.0.1"), 80))),
    ];

    /// <summary>A client on the connection, left open: disposing it would close the shared connection.</summary>
    private static void Use(NetlinkConnection connection, Func<IpvsClient, object?> read) => read(IpvsClient.Open(new NetlinkConnection(connection.Transport, ownsTransport: false)));
}
