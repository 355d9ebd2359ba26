using Netlink.Netfilter.NfTables;

namespace ServiceProxy.Rules;

/// <summary>
/// Collects the named sets of the service rules' table with their elements, numbering them for the transaction in the
/// order added (which is also the order <c>nft list</c> shows them in).
/// </summary>
internal sealed class ServiceSets(string table)
{
    private readonly List<NftSet> _sets = [];

    public IReadOnlyList<NftSet> Sets => _sets;

    public Dictionary<NftSet, IReadOnlyList<SetElement>> Elements { get; } = new(ReferenceEqualityComparer.Instance);

    public NftSet Add(NftSet set, IEnumerable<SetElement> elements)
    {
        set = set with { Id = (uint)_sets.Count + 1 };
        _sets.Add(set);
        Elements[set] = [.. elements];
        return set;
    }

    /// <summary>An IPv4 and an IPv6 set of <c>address . fields</c> keys, empty; a null field is the address again.</summary>
    public NftSet[] PerFamily(string name, params SetType?[] fields) => PerFamily(name, SetFlags.None, fields);

    /// <inheritdoc cref="PerFamily(string, SetType?[])"/>
    public NftSet[] PerFamily(string name, SetFlags flags, params SetType?[] fields) =>
    [
        Add(new NftSet(NfTablesServiceRuleset.Family, table, NfTablesServiceRuleset.Named(name, v6: false), KeyType(SetType.Ipv4Address, fields)) { Flags = flags }, []),
        Add(new NftSet(NfTablesServiceRuleset.Family, table, NfTablesServiceRuleset.Named(name, v6: true), KeyType(SetType.Ipv6Address, fields)) { Flags = flags }, []),
    ];

    /// <summary>Puts each item into the IPv4 or the IPv6 set of <paramref name="pair"/>, as <paramref name="isIPv6"/> says.</summary>
    public void Fill<T>(NftSet[] pair, IEnumerable<T> items, Func<T, bool> isIPv6, Func<T, SetElement> element)
    {
        List<T> all = [.. items];
        Elements[pair[0]] = [.. all.Where(i => !isIPv6(i)).Select(element)];
        Elements[pair[1]] = [.. all.Where(isIPv6).Select(element)];
    }

    private static SetType KeyType(SetType address, SetType?[] fields) =>
        fields.Length == 0 ? address : SetType.Concat([address, .. fields.Select(f => f ?? address)]);
}
