using System.Net.Sockets;

namespace ServiceProxy.Rules;

/// <summary>The iptables programs and address details of one address family: iptables for IPv4, ip6tables for IPv6.</summary>
internal sealed class IptablesFamily
{
    private IptablesFamily(string name, string command, AddressFamily addressFamily, int hostPrefixLength)
    {
        Name = name;
        Command = command;
        AddressFamily = addressFamily;
        HostPrefixLength = hostPrefixLength;
    }

    public static IptablesFamily IPv4 { get; } = new("IPv4", "iptables", AddressFamily.InterNetwork, 32);

    public static IptablesFamily IPv6 { get; } = new("IPv6", "ip6tables", AddressFamily.InterNetworkV6, 128);

    /// <summary>REJECT's default answer, as iptables-save names it: icmp-port-unreachable or icmp6-port-unreachable.</summary>
    public string PortUnreachable => AddressFamily == AddressFamily.InterNetworkV6 ? "icmp6-port-unreachable" : "icmp-port-unreachable";

    public static IReadOnlyList<IptablesFamily> Both { get; } = [IPv4, IPv6];

    public string Name { get; }

    /// <summary>iptables or ip6tables: the name its -restore and -save programs start with.</summary>
    public string Command { get; }

    public string RestoreProgram => Command + "-restore";

    public string SaveProgram => Command + "-save";

    public AddressFamily AddressFamily { get; }

    /// <summary>The prefix length iptables-save prints after a single address (-d 198.18.0.1/32).</summary>
    public int HostPrefixLength { get; }

    /// <summary>The family of this family's ipsets.</summary>
    public Netlink.Netfilter.IpSet.IpSetFamily SetFamily =>
        AddressFamily == AddressFamily.InterNetworkV6 ? Netlink.Netfilter.IpSet.IpSetFamily.IPv6 : Netlink.Netfilter.IpSet.IpSetFamily.IPv4;

    public override string ToString() => Name;
}
