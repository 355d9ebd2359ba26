namespace Netlink.Netfilter.NfTables;

/// <summary>A verdict code (NFTA_VERDICT_CODE): NF_DROP, NF_ACCEPT or one of nf_tables' NFT_* codes.</summary>
public enum VerdictCode
{
    /// <summary>NFT_RETURN: back to the calling chain.</summary>
    Return = Codec.NfConstants.NFT_RETURN,

    /// <summary>NFT_GOTO: continue in another chain, not returning.</summary>
    Goto = Codec.NfConstants.NFT_GOTO,

    /// <summary>NFT_JUMP: continue in another chain, then return.</summary>
    Jump = Codec.NfConstants.NFT_JUMP,

    /// <summary>NFT_BREAK: stop evaluating this rule.</summary>
    Break = Codec.NfConstants.NFT_BREAK,

    /// <summary>NFT_CONTINUE: carry on with the next expression.</summary>
    Continue = Codec.NfConstants.NFT_CONTINUE,

    /// <summary>NF_DROP.</summary>
    Drop = (int)Codec.NfConstants.NF_DROP,

    /// <summary>NF_ACCEPT.</summary>
    Accept = (int)Codec.NfConstants.NF_ACCEPT,
}

/// <summary>A verdict (NFTA_DATA_VERDICT): a code, and for jump and goto the chain (NFTA_VERDICT_CHAIN).</summary>
/// <param name="Code">The code.</param>
/// <param name="Chain">The target chain of a jump or goto; null otherwise.</param>
public sealed record Verdict(VerdictCode Code, string? Chain = null)
{
    /// <summary><c>accept</c>.</summary>
    public static Verdict Accept { get; } = new(VerdictCode.Accept);

    /// <summary><c>drop</c>.</summary>
    public static Verdict Drop { get; } = new(VerdictCode.Drop);

    /// <summary><c>continue</c>.</summary>
    public static Verdict Continue { get; } = new(VerdictCode.Continue);

    /// <summary><c>return</c>.</summary>
    public static Verdict Return { get; } = new(VerdictCode.Return);

    /// <summary><c>jump <paramref name="chain"/></c>.</summary>
    public static Verdict JumpTo(string chain) => new(VerdictCode.Jump, chain);

    /// <summary><c>goto <paramref name="chain"/></c>.</summary>
    public static Verdict GoTo(string chain) => new(VerdictCode.Goto, chain);

    /// <inheritdoc />
    public override string ToString() => Code switch
    {
        VerdictCode.Jump => "jump " + Chain,
        VerdictCode.Goto => "goto " + Chain,
        _ => Code.ToString().ToLowerInvariant(),
    };
}
