namespace Netlink.Netfilter.NfTables;

/// <summary>
/// One element of a set or map (NFTA_LIST_ELEM in NFT_MSG_NEWSETELEM). Build keys with <see cref="SetKey"/>. For an
/// interval set, <see cref="KeyEnd"/> closes the range (NFTA_SET_ELEM_KEY_END, as <c>nft</c> sends it for concatenated
/// ranges); plain interval sets use two elements, the second flagged <see cref="SetElementFlags.IntervalEnd"/>.
/// </summary>
/// <param name="Key">The key bytes (NFTA_SET_ELEM_KEY), as long as the set's key type.</param>
public sealed record SetElement(ReadOnlyMemory<byte> Key)
{
    /// <summary>NFTA_SET_ELEM_KEY_END: the end of a range.</summary>
    public ReadOnlyMemory<byte>? KeyEnd { get; init; }

    /// <summary>The value of a map element (NFTA_SET_ELEM_DATA holding NFTA_DATA_VALUE).</summary>
    public ReadOnlyMemory<byte>? Data { get; init; }

    /// <summary>The value of a verdict map element (NFTA_SET_ELEM_DATA holding NFTA_DATA_VERDICT).</summary>
    public Verdict? Verdict { get; init; }

    /// <summary>NFTA_SET_ELEM_FLAGS.</summary>
    public SetElementFlags Flags { get; init; }

    /// <summary>NFTA_SET_ELEM_TIMEOUT: this element's timeout (the set needs <see cref="SetFlags.Timeout"/>).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>NFTA_SET_ELEM_EXPIRATION: time left before the element expires, read back.</summary>
    public TimeSpan? Expiration { get; init; }

    /// <summary>NFTA_SET_ELEM_USERDATA as raw bytes (<c>nft</c> keeps element comments there).</summary>
    public ReadOnlyMemory<byte>? UserData { get; init; }

    /// <summary>An element of a verdict map: <c>key : verdict</c>.</summary>
    public static SetElement WithVerdict(ReadOnlyMemory<byte> key, Verdict verdict) => new(key) { Verdict = verdict };

    /// <summary>An element of a data map: <c>key : value</c>.</summary>
    public static SetElement WithData(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> data) => new(key) { Data = data };

    /// <inheritdoc />
    public override string ToString() => "element " + Convert.ToHexStringLower(Key.Span) + (Verdict is not null ? " : " + Verdict : Data is { } d ? " : " + Convert.ToHexStringLower(d.Span) : "");
}

/// <summary>A set element's flags (NFTA_SET_ELEM_FLAGS: enum nft_set_elem_flags).</summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the kernel's word
public enum SetElementFlags : uint
#pragma warning restore CA1711
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>NFT_SET_ELEM_INTERVAL_END: this element ends a range.</summary>
    IntervalEnd = Codec.NfConstants.NFT_SET_ELEM_INTERVAL_END,

    /// <summary>NFT_SET_ELEM_CATCHALL: matches every key (<c>*</c>).</summary>
    CatchAll = Codec.NfConstants.NFT_SET_ELEM_CATCHALL,
}
