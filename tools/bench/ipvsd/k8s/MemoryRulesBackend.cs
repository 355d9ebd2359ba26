using ServiceProxy.Rules;

namespace K8sBench;

/// <summary>The service rules installed in memory, normalized as the real backends read them back; counting applies.</summary>
internal sealed class MemoryRulesBackend : IServiceRulesBackend
{
    private ServiceRuleSet? _installed;

    /// <summary>Rule sets installed so far: a sync that did not look at the rules installed none.</summary>
    public int Applies { get; private set; }

    public ServiceRulesBackendKind Kind => ServiceRulesBackendKind.Nftables;

    public void Apply(ServiceRuleSet rules)
    {
        rules.Validate();
        _installed = rules.Normalize();
        Applies++;
    }

    public ServiceRuleSet? Read() => _installed;

    public void Remove() => _installed = null;

    public void Dispose()
    {
    }
}
