namespace ServiceProxy.Rules;

/// <summary>The firewall a <see cref="IServiceRulesBackend"/> writes to.</summary>
public enum ServiceRulesBackendKind
{
    /// <summary>nf_tables over netlink, one <c>inet</c> table; needs no program installed.</summary>
    Nftables,

    /// <summary>iptables and ip6tables through <c>iptables-restore</c>, for hosts whose other software still uses iptables.</summary>
    Iptables,
}
