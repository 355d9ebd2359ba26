using Netlink.Netfilter.NfTables;

namespace Netlink.Fuzz.Targets;

/// <summary>nf_tables dumps as the rules backend reads back what it installed.</summary>
public sealed class NfTablesRepliesTarget : NetlinkReplyTarget
{
    /// <inheritdoc />
    public override string Name => "nftables-replies";

    /// <inheritdoc />
    public override string Description => "nf_tables replies (sets and their elements, tables, chains, rules with every expression, the generation)";

    /// <inheritdoc />
    protected override IReadOnlyList<Action<NetlinkConnection>> Operations { get; } =
    [
        connection => Client(connection).ListRuleset(),
        connection => Client(connection).GetGeneration(),
    ];

    private static NfTablesClient Client(NetlinkConnection connection) => NfTablesClient.Open(new NetlinkConnection(connection.Transport, ownsTransport: false));
}
