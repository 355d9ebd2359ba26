namespace Netlink.Netfilter.NfTables;

/// <summary>A table (NFT_MSG_NEWTABLE; <c>nft add table ip nat</c>): a namespace for chains and sets of one family.</summary>
/// <param name="Family">The family (nfgen_family).</param>
/// <param name="Name">The name (NFTA_TABLE_NAME).</param>
public sealed record Table(TableFamily Family, string Name)
{
    /// <summary>NFTA_TABLE_FLAGS, such as NFT_TABLE_F_DORMANT (1).</summary>
    public uint Flags { get; init; }

    /// <summary>NFTA_TABLE_HANDLE: the kernel's handle, read back; ignored when adding.</summary>
    public ulong Handle { get; init; }

    /// <summary>NFTA_TABLE_USE: how many chains and sets the table holds, read back.</summary>
    public uint Use { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"table {FamilyNames.Of(Family)} {Name}";
}
