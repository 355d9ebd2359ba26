namespace Netlink.Netfilter.IpSet;

/// <summary>
/// The set types a service proxy needs, named as ipset names them (<c>hash:ip,port</c>), which is also the type name the
/// kernel module registers (ip_set_hash_ipport and the others).
/// </summary>
public enum IpSetType
{
    /// <summary><c>hash:ip</c>: addresses (the addresses bound for services).</summary>
    HashIp,

    /// <summary><c>hash:net</c>: networks of any prefix length.</summary>
    HashNet,

    /// <summary><c>hash:ip,port</c>: address, protocol and port (virtual IPs; matched <c>dst,dst</c>).</summary>
    HashIpPort,

    /// <summary><c>hash:ip,port,ip</c>: address, protocol, port and a second address (hairpin endpoints; <c>dst,dst,src</c>).</summary>
    HashIpPortIp,

    /// <summary><c>hash:ip,port,net</c>: address, protocol, port and a network (allowed sources of a load balancer IP).</summary>
    HashIpPortNet,

    /// <summary><c>bitmap:port</c>: ports of a fixed range, of any address family (node ports).</summary>
    BitmapPort,
}

/// <summary>The kernel's type names of <see cref="IpSetType"/>.</summary>
public static class IpSetTypeNames
{
    /// <summary>The name the kernel and ipset use, such as <c>hash:ip,port</c>.</summary>
    public static string Name(this IpSetType type) => type switch
    {
        IpSetType.HashIp => "hash:ip",
        IpSetType.HashNet => "hash:net",
        IpSetType.HashIpPort => "hash:ip,port",
        IpSetType.HashIpPortIp => "hash:ip,port,ip",
        IpSetType.HashIpPortNet => "hash:ip,port,net",
        IpSetType.BitmapPort => "bitmap:port",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a set type this library writes"),
    };

    /// <summary>The type called <paramref name="name"/>, or false for a type this library does not handle.</summary>
    public static bool TryParse(string name, out IpSetType type)
    {
        foreach (IpSetType candidate in Enum.GetValues<IpSetType>())
        {
            if (candidate.Name() == name)
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }

    /// <summary>Whether elements of <paramref name="type"/> carry an address (every type but bitmap:port).</summary>
    public static bool HasAddress(this IpSetType type) => type != IpSetType.BitmapPort;
}
