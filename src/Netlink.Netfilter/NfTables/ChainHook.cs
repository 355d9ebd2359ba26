namespace Netlink.Netfilter.NfTables;

/// <summary>The netfilter hook a base chain attaches to (NFTA_HOOK_HOOKNUM: the NF_INET_* values of linux/netfilter.h).</summary>
public enum HookPoint : uint
{
    /// <summary>NF_INET_PRE_ROUTING (<c>hook prerouting</c>).</summary>
    Prerouting = Codec.NfConstants.NF_INET_PRE_ROUTING,

    /// <summary>NF_INET_LOCAL_IN (<c>hook input</c>).</summary>
    Input = Codec.NfConstants.NF_INET_LOCAL_IN,

    /// <summary>NF_INET_FORWARD (<c>hook forward</c>).</summary>
    Forward = Codec.NfConstants.NF_INET_FORWARD,

    /// <summary>NF_INET_LOCAL_OUT (<c>hook output</c>).</summary>
    Output = Codec.NfConstants.NF_INET_LOCAL_OUT,

    /// <summary>NF_INET_POST_ROUTING (<c>hook postrouting</c>).</summary>
    Postrouting = Codec.NfConstants.NF_INET_POST_ROUTING,

    /// <summary>NF_INET_INGRESS (<c>hook ingress</c>, inet and netdev families; needs a device).</summary>
    Ingress = Codec.NfConstants.NF_INET_INGRESS,
}

/// <summary>A base chain's type (NFTA_CHAIN_TYPE).</summary>
public enum ChainType
{
    /// <summary>"filter": accept, drop, mark.</summary>
    Filter,

    /// <summary>"nat": sees the first packet of each connection; snat, dnat, masquerade, redirect.</summary>
    Nat,

    /// <summary>"route": output packets are routed again when marks or addresses change.</summary>
    Route,
}

/// <summary>What a base chain does with a packet no rule decided (NFTA_CHAIN_POLICY: NF_DROP or NF_ACCEPT).</summary>
public enum ChainPolicy : uint
{
    /// <summary>NF_DROP.</summary>
    Drop = Codec.NfConstants.NF_DROP,

    /// <summary>NF_ACCEPT.</summary>
    Accept = Codec.NfConstants.NF_ACCEPT,
}

/// <summary>Well-known base chain priorities (NF_IP_PRI_* of linux/netfilter_ipv4.h; <c>nft</c> spells them <c>dstnat</c> and so on).</summary>
public static class ChainPriority
{
    /// <summary>NF_IP_PRI_RAW: "raw".</summary>
    public const int Raw = -300;

    /// <summary>NF_IP_PRI_MANGLE: "mangle".</summary>
    public const int Mangle = -150;

    /// <summary>NF_IP_PRI_NAT_DST: "dstnat".</summary>
    public const int DstNat = -100;

    /// <summary>NF_IP_PRI_FILTER: "filter".</summary>
    public const int Filter = 0;

    /// <summary>NF_IP_PRI_SECURITY: "security".</summary>
    public const int Security = 50;

    /// <summary>NF_IP_PRI_NAT_SRC: "srcnat".</summary>
    public const int SrcNat = 100;
}

/// <summary>What makes a chain a base chain (NFTA_CHAIN_HOOK, NFTA_CHAIN_TYPE, NFTA_CHAIN_POLICY): <c>type nat hook prerouting priority dstnat; policy accept;</c>.</summary>
/// <param name="Type">The chain type.</param>
/// <param name="Hook">The hook (NFTA_HOOK_HOOKNUM).</param>
/// <param name="Priority">The priority (NFTA_HOOK_PRIORITY); lower runs first.</param>
/// <param name="Policy">The policy.</param>
/// <param name="Device">The device, for ingress hooks (NFTA_HOOK_DEV).</param>
public sealed record BaseChainSpec(ChainType Type, HookPoint Hook, int Priority, ChainPolicy Policy = ChainPolicy.Accept, string? Device = null);
