namespace Netlink.Netfilter.IpSet;

/// <summary>A set as the kernel lists it (IPSET_CMD_LIST): its header and, unless only headers were asked for, its elements.</summary>
/// <param name="Name">The set's name.</param>
/// <param name="TypeName">The kernel's type name (<c>hash:ip,port</c>); <see cref="Type"/> is null for types this library does not write.</param>
/// <param name="Family">Its address family.</param>
/// <param name="Revision">The type revision the set was created with.</param>
public sealed record IpSetListing(string Name, string TypeName, IpSetFamily Family, byte Revision)
{
    /// <summary>The type, or null for one this library does not know (list:set, hash:mac, ...).</summary>
    public IpSetType? Type => IpSetTypeNames.TryParse(TypeName, out IpSetType type) ? type : null;

    /// <summary>The number of hash buckets (hash types).</summary>
    public uint? HashSize { get; init; }

    /// <summary>The most elements the set holds (hash types).</summary>
    public uint? MaxElements { get; init; }

    /// <summary>The port range of a bitmap:port set.</summary>
    public (ushort From, ushort To)? PortRange { get; init; }

    /// <summary>How many iptables rules (or other sets) refer to the set: a referenced set cannot be destroyed.</summary>
    public uint References { get; init; }

    /// <summary>The number of elements the kernel reports (IPSET_ATTR_ELEMENTS), listed or not.</summary>
    public uint ElementCount { get; init; }

    /// <summary>The kernel memory the set uses, in bytes.</summary>
    public uint MemorySize { get; init; }

    /// <summary>The elements, in the kernel's order; empty when only headers were listed.</summary>
    public IReadOnlyList<IpSetEntry> Entries { get; init; } = [];
}
