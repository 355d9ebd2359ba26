namespace ServiceProxy.Rules;

/// <summary>
/// What iptables-save printed for one address family, in the tables the backend writes to: nat (marking and
/// masquerading), filter (unknown ports) and mangle (source ranges), the last two acting before IPVS takes a packet.
/// </summary>
internal sealed class IptablesSave
{
    private IptablesSave(IptablesTable nat, IptablesTable filter, IptablesTable mangle)
    {
        Nat = nat;
        Filter = filter;
        Mangle = mangle;
    }

    /// <summary>Nothing installed.</summary>
    public static IptablesSave Empty { get; } = new(IptablesTable.Empty, IptablesTable.Empty, IptablesTable.Empty);

    public IptablesTable Nat { get; }

    public IptablesTable Filter { get; }

    /// <summary>The mangle table, where the source range firewall acts before IPVS.</summary>
    public IptablesTable Mangle { get; }

    /// <summary>Parses the nat, filter and mangle sections of iptables-save output; any may be missing.</summary>
    public static IptablesSave Parse(string saveOutput) =>
        new(IptablesTable.Parse(saveOutput, "nat"), IptablesTable.Parse(saveOutput, "filter"), IptablesTable.Parse(saveOutput, "mangle"));

    /// <summary>Whether anything of the backend's is in any of the tables.</summary>
    public bool HasOwnedObjects(IptablesChains chains) => Nat.HasOwnedObjects(chains) || Filter.HasOwnedObjects(chains) || Mangle.HasOwnedObjects(chains);

    /// <summary>The parsed table called <paramref name="name"/> (nat, filter or mangle).</summary>
    public IptablesTable Table(string name) => name switch
    {
        "nat" => Nat,
        "filter" => Filter,
        "mangle" => Mangle,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "expected nat, filter or mangle"),
    };
}
