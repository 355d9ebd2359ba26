namespace ServiceProxy.Rules;

/// <summary>
/// Installs a <see cref="ServiceRuleSet"/> in the host's firewall and reads it back. The backends own their objects
/// (a table, or a handful of chains) and touch nothing else. Make one with <see cref="ServiceRulesBackend.Create"/>.
/// Not thread-safe.
/// </summary>
public interface IServiceRulesBackend : IDisposable
{
    /// <summary>Which firewall this backend writes to.</summary>
    ServiceRulesBackendKind Kind { get; }

    /// <summary>
    /// Makes the installed rules equal to <paramref name="rules"/>: replaces what an earlier <see cref="Apply(ServiceRuleSet)"/> installed
    /// in one atomic step (per address family for iptables), so traffic sees the old rules or the new ones, never a mix
    /// or a gap. Applying the same set again changes nothing. Throws <see cref="ArgumentException"/> for a set that
    /// <see cref="ServiceRuleSet.Validate"/> refuses.
    /// </summary>
    void Apply(ServiceRuleSet rules);

    /// <summary>
    /// Makes the installed rules equal to <see cref="ServiceRuleChange.To"/>, given that they equal
    /// <see cref="ServiceRuleChange.From"/> now (the set of the last apply, or what <see cref="Read"/> returned): changes
    /// only what differs, so its cost follows the size of the change rather than of the whole set. A service moving
    /// between lists is never unmatched: the change is one atomic step, or its elements are added before any is
    /// removed. Rules that do not equal <see cref="ServiceRuleChange.From"/> (someone else edited them) are not
    /// repaired: read them back and <see cref="Apply(ServiceRuleSet)"/> the whole set for that. The default applies the whole wanted set.
    /// </summary>
    void Apply(ServiceRuleChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Apply(change.To);
    }

    /// <summary>
    /// Reads the installed rules back into the model (normalized: see <see cref="ServiceRuleSet.Normalize"/>), or null
    /// when nothing is installed.
    /// </summary>
    ServiceRuleSet? Read();

    /// <summary>Removes everything <see cref="Apply(ServiceRuleSet)"/> installed; nothing if nothing is.</summary>
    void Remove();
}
