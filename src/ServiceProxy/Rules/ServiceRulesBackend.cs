using Netlink;

namespace ServiceProxy.Rules;

/// <summary>The one switch between the nf_tables and iptables implementations of <see cref="IServiceRulesBackend"/>.</summary>
public static class ServiceRulesBackend
{
    /// <summary>
    /// Opens the backend of <paramref name="kind"/>, working inside <paramref name="ns"/> when given (the caller's network
    /// namespace otherwise). Both backends install the same rules for the same <see cref="ServiceRuleSet"/> and read back
    /// equal sets, so a host can move from one to the other with <see cref="IServiceRulesBackend.Remove"/> on the old and
    /// <see cref="IServiceRulesBackend.Apply"/> on the new.
    /// </summary>
    public static IServiceRulesBackend Create(ServiceRulesBackendKind kind, NetworkNamespace? ns = null) => kind switch
    {
        ServiceRulesBackendKind.Nftables => NfTablesServiceRules.Open(ns),
        ServiceRulesBackendKind.Iptables => new IptablesServiceRules(ns),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "expected Nftables or Iptables"),
    };
}
