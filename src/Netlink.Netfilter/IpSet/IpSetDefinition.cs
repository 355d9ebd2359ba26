namespace Netlink.Netfilter.IpSet;

/// <summary>
/// What <see cref="IIpSetClient.Create"/> makes: a set's name, type and family, with the sizes ipset's
/// <c>create</c> takes. Unset sizes are the kernel's defaults (hashsize 1024, maxelem 65536).
/// </summary>
/// <param name="Name">1 to 31 bytes (IPSET_MAXNAMELEN with its NUL).</param>
/// <param name="Type">The set type.</param>
/// <param name="Family">IPv4 or IPv6 for the hash types; <see cref="IpSetFamily.Unspecified"/> for bitmap:port.</param>
public sealed record IpSetDefinition(string Name, IpSetType Type, IpSetFamily Family)
{
    /// <summary>The initial number of hash buckets (IPSET_ATTR_HASHSIZE; the kernel rounds it to a power of two).</summary>
    public uint? HashSize { get; init; }

    /// <summary>The most elements the set holds (IPSET_ATTR_MAXELEM); an add beyond it fails.</summary>
    public uint? MaxElements { get; init; }

    /// <summary>The first port of a bitmap:port set (IPSET_ATTR_PORT_FROM); default 0.</summary>
    public ushort PortFrom { get; init; }

    /// <summary>The last port of a bitmap:port set (IPSET_ATTR_PORT_TO); default 65535.</summary>
    public ushort PortTo { get; init; } = ushort.MaxValue;

    /// <summary>Throws <see cref="ArgumentException"/> naming what is wrong: a bad name, or a family the type cannot have.</summary>
    public void Validate()
    {
        IpSetNames.Check(Name);
        if (Type == IpSetType.BitmapPort)
        {
            if (Family != IpSetFamily.Unspecified)
            {
                throw new ArgumentException($"set {Name}: bitmap:port holds ports only; give family Unspecified, not {Family}");
            }
            if (PortFrom > PortTo)
            {
                throw new ArgumentException($"set {Name}: port range {PortFrom}-{PortTo} is empty; the first port must not exceed the last");
            }
        }
        else if (Family is not (IpSetFamily.IPv4 or IpSetFamily.IPv6))
        {
            throw new ArgumentException($"set {Name}: {Type.Name()} needs family IPv4 or IPv6");
        }
    }
}
