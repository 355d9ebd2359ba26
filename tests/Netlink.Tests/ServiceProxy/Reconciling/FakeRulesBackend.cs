using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>
/// A rules backend holding the installed set in memory (normalized, as the real ones read it back), refusing what they
/// refuse, and counting reads and applies, which a sync makes only when it looks at the rules. It records which
/// <c>Apply</c> was called: the whole set, or a change.
/// </summary>
internal sealed class FakeRulesBackend : IServiceRulesBackend
{
    /// <summary>What is installed; set it to play someone else changing or flushing the rules.</summary>
    public ServiceRuleSet? Installed { get; set; }

    public int Reads { get; private set; }

    /// <summary>Applies of either kind.</summary>
    public int Applies { get; private set; }

    /// <summary>Applies of a whole set.</summary>
    public int WholeApplies { get; private set; }

    /// <summary>The changes applied, in order.</summary>
    public List<ServiceRuleChange> Changes { get; } = [];

    public ServiceRulesBackendKind Kind => ServiceRulesBackendKind.Nftables;

    public void Apply(ServiceRuleSet rules)
    {
        rules.Validate();
        Applies++;
        WholeApplies++;
        Installed = rules.Normalize();
    }

    /// <summary>
    /// Applies <paramref name="change"/> as the nf_tables backend does: the whole wanted set when nothing is installed
    /// (its table is missing); otherwise the change's <c>From</c> must be what is installed, or it fails, as a delete of
    /// an element that is not there fails with ENOENT (reported as an <see cref="InvalidOperationException"/>, which a
    /// sync reports and follows with a full one).
    /// </summary>
    public void Apply(ServiceRuleChange change)
    {
        Applies++;
        Changes.Add(change);
        if (Installed is not null && !Installed.Equals(change.From))
        {
            throw new InvalidOperationException($"the change is from {change.From}, but {Installed} is installed");
        }
        Installed = change.To;
    }

    /// <summary>How many of the next reads miss the first virtual IP, as a set dump during a rehash can.</summary>
    public int ShortReads { get; set; }

    public ServiceRuleSet? Read()
    {
        Reads++;
        if (ShortReads > 0 && Installed is { } installed)
        {
            ShortReads--;
            return installed with { VirtualIps = [.. installed.VirtualIps.Skip(1)] };
        }
        return Installed;
    }

    public void Remove() => Installed = null;

    public void Dispose()
    {
    }
}
