namespace Netlink.Netfilter.NfTables;

/// <summary>
/// A chain (NFT_MSG_NEWCHAIN): a base chain when <see cref="Base"/> is set (hooked into the stack), else a regular chain
/// reached only by jump and goto.
/// </summary>
/// <param name="Family">The table's family.</param>
/// <param name="Table">The table's name (NFTA_CHAIN_TABLE).</param>
/// <param name="Name">The chain's name (NFTA_CHAIN_NAME).</param>
public sealed record Chain(TableFamily Family, string Table, string Name)
{
    /// <summary>The hook, type, priority and policy of a base chain; null for a regular chain.</summary>
    public BaseChainSpec? Base { get; init; }

    /// <summary>NFTA_CHAIN_HANDLE, read back; ignored when adding.</summary>
    public ulong Handle { get; init; }

    /// <summary>NFTA_CHAIN_USE: how many rules and references the chain has, read back.</summary>
    public uint Use { get; init; }

    /// <summary>NFTA_CHAIN_FLAGS, read back (NFT_CHAIN_BASE and others).</summary>
    public uint Flags { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"chain {FamilyNames.Of(Family)} {Table} {Name}";
}
