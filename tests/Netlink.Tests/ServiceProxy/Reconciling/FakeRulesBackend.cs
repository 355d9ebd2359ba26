using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>
/// A rules backend holding the installed set in memory (normalized, as the real ones read it back), refusing what they
/// refuse, and counting reads and applies, which a sync makes only when it looks at the rules.
/// </summary>
internal sealed class FakeRulesBackend : IServiceRulesBackend
{
    /// <summary>What is installed; set it to play someone else changing or flushing the rules.</summary>
    public ServiceRuleSet? Installed { get; set; }

    public int Reads { get; private set; }

    public int Applies { get; private set; }

    public ServiceRulesBackendKind Kind => ServiceRulesBackendKind.Nftables;

    public void Apply(ServiceRuleSet rules)
    {
        rules.Validate();
        Applies++;
        Installed = rules.Normalize();
    }

    public ServiceRuleSet? Read()
    {
        Reads++;
        return Installed;
    }

    public void Remove() => Installed = null;

    public void Dispose()
    {
    }
}
