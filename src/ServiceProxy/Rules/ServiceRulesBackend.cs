namespace ServiceProxy.Rules;

/// <summary>The one switch between the nf_tables and iptables implementations of <see cref="IServiceRulesBackend"/>.</summary>
public static class ServiceRulesBackend
{
    /// <summary>
    /// Opens the backend of <paramref name="kind"/>, working inside <see cref="ServiceRulesOptions.Namespace"/> when given
    /// (the caller's network namespace otherwise), on the objects <paramref name="options"/> names. Both backends install the same rules for the same <see cref="ServiceRuleSet"/> and read back
    /// equal sets, so a host can move from one to the other with <see cref="IServiceRulesBackend.Remove"/> on the old and
    /// <see cref="IServiceRulesBackend.Apply(ServiceRuleSet)"/> on the new.
    /// </summary>
    public static IServiceRulesBackend Create(ServiceRulesBackendKind kind, ServiceRulesOptions? options = null) => kind switch
    {
        ServiceRulesBackendKind.Nftables => NfTablesServiceRules.Open(options),
        ServiceRulesBackendKind.Iptables => new IptablesServiceRules(options),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "expected Nftables or Iptables"),
    };
}
