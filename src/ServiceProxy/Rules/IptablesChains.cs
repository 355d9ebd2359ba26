using Netlink;

namespace ServiceProxy.Rules;

/// <summary>
/// The chains of the nat table the iptables backend owns, named after kube-proxy's (KUBE-SERVICES, KUBE-MARK-MASQ,
/// KUBE-POSTROUTING) with this project's prefix, and the jumps into them from the built-in chains.
/// </summary>
internal static class IptablesChains
{
    /// <summary>Every chain the backend owns starts with this; <see cref="IServiceRulesBackend.Remove"/> removes any such chain.</summary>
    public const string Prefix = "IPVSD-";

    /// <summary>Matches traffic to virtual IPs and node ports; reached from PREROUTING and OUTPUT.</summary>
    public const string Services = "IPVSD-SERVICES";

    /// <summary>Decides which virtual IP traffic is marked (by source); holds no rule when none is.</summary>
    public const string VirtualIp = "IPVSD-VIRTUAL-IP";

    /// <summary>Sets the masquerade mark bit.</summary>
    public const string MarkMasquerade = "IPVSD-MARK-MASQ";

    /// <summary>Masquerades marked traffic; reached from POSTROUTING.</summary>
    public const string Postrouting = "IPVSD-POSTROUTING";

    /// <summary>Every owned chain, in the order the restore input declares them.</summary>
    public static IReadOnlyList<string> All { get; } = [Services, VirtualIp, MarkMasquerade, Postrouting];

    /// <summary>The jumps from built-in chains: (built-in chain, owned chain, comment that says who put it there).</summary>
    public static IReadOnlyList<(string From, string To, string Comment)> Jumps { get; } =
    [
        ("PREROUTING", Services, "ipvsd service traffic"),
        ("OUTPUT", Services, "ipvsd service traffic"),
        ("POSTROUTING", Postrouting, "ipvsd masquerade marked traffic"),
    ];

    /// <summary>Whether <paramref name="chain"/> is one of the five chains every nat table has.</summary>
    public static bool IsBuiltIn(string chain) => chain is "PREROUTING" or "INPUT" or "OUTPUT" or "POSTROUTING" or "FORWARD";
}
