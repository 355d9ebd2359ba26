using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Netlink.Ipvs;

/// <summary>
/// IPVS_SVC_ATTR_NETMASK: how a persistent service groups clients, so that clients in one group stick to one real
/// server. The kernel reads the one attribute two ways: for an IPv4 service it is a mask (sent as the mask's bytes
/// in network order, a __be32), for an IPv6 service a prefix length (1..128). This type carries the family with the
/// value, so one cannot stand in for the other; create it with <see cref="FromIpv4Mask(uint)"/>,
/// <see cref="FromIpv4PrefixLength"/> or <see cref="FromIpv6PrefixLength"/>.
/// </summary>
public readonly record struct PersistenceNetmask
{
    private readonly uint _value;

    private PersistenceNetmask(AddressFamily family, uint value)
    {
        Family = family;
        _value = value;
    }

    /// <summary>
    /// InterNetwork or InterNetworkV6: the family of the services this mask fits. Unspecified only for
    /// <c>default(PersistenceNetmask)</c>, which no service accepts.
    /// </summary>
    public AddressFamily Family { get; }

    /// <summary>The IPv4 mask as a number (0xFFFFFF00 is 255.255.255.0). Throws for an IPv6 prefix length.</summary>
    public uint Ipv4Mask => Family == AddressFamily.InterNetwork
        ? _value
        : throw new InvalidOperationException($"netmask {this} is not an IPv4 mask");

    /// <summary>The IPv6 prefix length (1..128). Throws for an IPv4 mask.</summary>
    public int Ipv6PrefixLength => Family == AddressFamily.InterNetworkV6
        ? (int)_value
        : throw new InvalidOperationException($"netmask {this} is not an IPv6 prefix length");

    /// <summary>Whether every client is its own group (255.255.255.255 or /128): the kernel's default.</summary>
    public bool IsSingleAddress => Family == AddressFamily.InterNetworkV6 ? _value == 128 : _value == uint.MaxValue;

    /// <summary>
    /// The number IPVS_SVC_ATTR_NETMASK carries: the IPv4 mask (written big-endian) or the IPv6 prefix length
    /// (written in host order).
    /// </summary>
    internal uint WireValue => _value;

    /// <summary>
    /// An IPv4 mask from its number (0xFFFFFF00 is 255.255.255.0; 0 puts every client in one group, as
    /// <c>ipvsadm -M 0.0.0.0</c> does). Any number is taken, as the kernel and ipvsadm take any.
    /// </summary>
    public static PersistenceNetmask FromIpv4Mask(uint mask) => new(AddressFamily.InterNetwork, mask);

    /// <summary>An IPv4 mask written as an address (255.255.255.0).</summary>
    public static PersistenceNetmask FromIpv4Mask(IPAddress mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"netmask {mask} is not an IPv4 mask: an IPv6 service takes a prefix length", nameof(mask));
        }
        return FromIpv4Mask(Ipv4Number.FromAddress(mask));
    }

    /// <summary>An IPv4 mask from a prefix length, 0..32 (24 gives 255.255.255.0).</summary>
    public static PersistenceNetmask FromIpv4PrefixLength(int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        return FromIpv4Mask(prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength));
    }

    /// <summary>An IPv6 prefix length, 1..128 (the kernel refuses 0 with EINVAL).</summary>
    public static PersistenceNetmask FromIpv6PrefixLength(int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prefixLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 128);
        return new(AddressFamily.InterNetworkV6, (uint)prefixLength);
    }

    /// <summary>The kernel's default for <paramref name="family"/>: 255.255.255.255 or /128, one group per client.</summary>
    public static PersistenceNetmask SingleAddress(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => FromIpv4Mask(uint.MaxValue),
        AddressFamily.InterNetworkV6 => FromIpv6PrefixLength(128),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "a netmask is for IPv4 or IPv6"),
    };

    /// <summary>"255.255.255.0" for IPv4, "64" for IPv6, as ipvsadm prints them.</summary>
    public override string ToString() => Family switch
    {
        AddressFamily.InterNetwork => Ipv4Number.ToAddress(_value).ToString(),
        AddressFamily.InterNetworkV6 => ((int)_value).ToString(CultureInfo.InvariantCulture),
        _ => "(none)",
    };
}
