namespace ServiceProxy.Rules;

/// <summary>
/// What iptables-save printed for one address family, in the two tables the backend writes to: nat (marking and
/// masquerading) and filter (source ranges and unknown ports, which must act before IPVS takes a packet).
/// </summary>
internal sealed class IptablesSave
{
    private IptablesSave(IptablesTable nat, IptablesTable filter)
    {
        Nat = nat;
        Filter = filter;
    }

    /// <summary>Nothing installed.</summary>
    public static IptablesSave Empty { get; } = new(IptablesTable.Empty, IptablesTable.Empty);

    public IptablesTable Nat { get; }

    public IptablesTable Filter { get; }

    /// <summary>Parses the nat and filter sections of iptables-save output; either may be missing.</summary>
    public static IptablesSave Parse(string saveOutput) => new(IptablesTable.Parse(saveOutput, "nat"), IptablesTable.Parse(saveOutput, "filter"));

    /// <summary>Whether anything of the backend's is in either table.</summary>
    public bool HasOwnedObjects(IptablesChains chains) => Nat.HasOwnedObjects(chains) || Filter.HasOwnedObjects(chains);
}
