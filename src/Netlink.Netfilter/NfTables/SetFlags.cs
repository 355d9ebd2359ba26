namespace Netlink.Netfilter.NfTables;

/// <summary>A set's flags (NFTA_SET_FLAGS: enum nft_set_flags).</summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the kernel's word
public enum SetFlags : uint
#pragma warning restore CA1711
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>NFT_SET_ANONYMOUS: bound to the one rule that uses it (<c>{ 1, 2 }</c> inline in a rule), deleted with it.</summary>
    Anonymous = Codec.NfConstants.NFT_SET_ANONYMOUS,

    /// <summary>NFT_SET_CONSTANT: elements cannot change after the transaction that creates it.</summary>
    Constant = Codec.NfConstants.NFT_SET_CONSTANT,

    /// <summary>NFT_SET_INTERVAL: elements are ranges (<c>flags interval</c>).</summary>
    Interval = Codec.NfConstants.NFT_SET_INTERVAL,

    /// <summary>NFT_SET_MAP: a map; elements carry data.</summary>
    Map = Codec.NfConstants.NFT_SET_MAP,

    /// <summary>NFT_SET_TIMEOUT: elements can expire (<c>flags timeout</c>).</summary>
    Timeout = Codec.NfConstants.NFT_SET_TIMEOUT,

    /// <summary>NFT_SET_EVAL: the packet path may add elements (<c>flags dynamic</c>).</summary>
    Eval = Codec.NfConstants.NFT_SET_EVAL,

    /// <summary>NFT_SET_OBJECT: a map to stateful objects.</summary>
    ObjectMap = Codec.NfConstants.NFT_SET_OBJECT,

    /// <summary>NFT_SET_CONCAT: keys are concatenations whose fields are matched as ranges.</summary>
    Concat = Codec.NfConstants.NFT_SET_CONCAT,
}
