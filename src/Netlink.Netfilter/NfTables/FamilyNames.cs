namespace Netlink.Netfilter.NfTables;

/// <summary>The family keywords <c>nft</c> uses, for messages.</summary>
internal static class FamilyNames
{
    public static string Of(TableFamily family) => family switch
    {
        TableFamily.Inet => "inet",
        TableFamily.IPv4 => "ip",
        TableFamily.IPv6 => "ip6",
        TableFamily.Arp => "arp",
        TableFamily.Bridge => "bridge",
        TableFamily.NetDev => "netdev",
        _ => "family " + ((byte)family).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
