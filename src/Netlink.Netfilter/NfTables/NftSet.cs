namespace Netlink.Netfilter.NfTables;

/// <summary>
/// A named set, map or verdict map (NFT_MSG_NEWSET). A map has a <see cref="DataType"/>; a verdict map has
/// <see cref="SetType.Verdict"/> as its data type. Anonymous sets (<see cref="SetFlags.Anonymous"/>, for <c>{ ... }</c>
/// inline in a rule) are named by the caller, such as <c>__map1</c>, and are bound to the rule that looks them up in the
/// same transaction.
/// </summary>
/// <param name="Family">The table's family.</param>
/// <param name="Table">The table (NFTA_SET_TABLE).</param>
/// <param name="Name">The name (NFTA_SET_NAME).</param>
/// <param name="KeyType">The key type (NFTA_SET_KEY_TYPE, NFTA_SET_KEY_LEN).</param>
public sealed record NftSet(TableFamily Family, string Table, string Name, SetType KeyType)
{
    /// <summary>The value type of a map (NFTA_SET_DATA_TYPE, NFTA_SET_DATA_LEN); null for a plain set.</summary>
    public SetType? DataType { get; init; }

    /// <summary>NFTA_SET_FLAGS. <see cref="SetFlags.Map"/> is added when <see cref="DataType"/> is set, <see cref="SetFlags.Concat"/> (with the field lengths) for an interval concatenation, as <c>nft</c> does.</summary>
    public SetFlags Flags { get; init; }

    /// <summary>NFTA_SET_TIMEOUT: the default element timeout (<c>timeout 30s</c>); needs <see cref="SetFlags.Timeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>NFTA_SET_DESC_SIZE: the maximum number of elements (<c>size 65535</c>); 0 for none.</summary>
    public uint Size { get; init; }

    /// <summary>NFTA_SET_ID: names the set within a transaction; the library assigns one when 0.</summary>
    public uint Id { get; init; }

    /// <summary>NFTA_SET_HANDLE, read back.</summary>
    public ulong Handle { get; init; }

    /// <summary>
    /// NFTA_SET_USERDATA as raw bytes (<c>nft</c> keeps byte order hints and comments there); written as is. When null,
    /// the library writes the key and data byte orders of the types, as <c>nft</c> does, so <c>nft</c> prints elements right.
    /// </summary>
    public ReadOnlyMemory<byte>? UserData { get; init; }

    /// <summary>Whether this is a map (has values).</summary>
    public bool IsMap => DataType is not null;

    /// <inheritdoc />
    public override string ToString() => $"{(IsMap ? "map" : "set")} {FamilyNames.Of(Family)} {Table} {Name}";
}
