using System.Globalization;

namespace Netlink.Netfilter.NfTables;

/// <summary>
/// The kernel refused a transaction because the ruleset changed after the generation it was built from
/// (NFNL_BATCH_GENID; errno ERESTART). Nothing of the transaction was applied.
/// </summary>
public sealed class RulesetChangedException : NetlinkException
{
    /// <summary>Creates the exception for a transaction guarded by <paramref name="generation"/>.</summary>
    public RulesetChangedException(uint generation, Exception innerException)
        : base(NfTablesClient.ERESTART, string.Format(CultureInfo.InvariantCulture,
            "commit transaction: the ruleset changed after generation {0} that the transaction was built from; nothing was applied (ERESTART)", generation), innerException)
    {
        Generation = generation;
        Attempts = 1;
    }

    /// <summary>Creates the exception after <paramref name="attempts"/> tries each lost to a concurrent change.</summary>
    public RulesetChangedException(uint generation, int attempts, Exception innerException)
        : base(NfTablesClient.ERESTART, string.Format(CultureInfo.InvariantCulture,
            "commit transaction: the ruleset changed underneath {0} times in a row (last at generation {1}); nothing was applied (ERESTART)", attempts, generation), innerException)
    {
        Generation = generation;
        Attempts = attempts;
    }

    /// <summary>Creates an exception with default text.</summary>
    public RulesetChangedException()
        : base(NfTablesClient.ERESTART, "commit transaction: the ruleset changed underneath (ERESTART)", null)
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public RulesetChangedException(string message)
        : base(NfTablesClient.ERESTART, message, null)
    {
    }

    /// <summary>Creates an exception with a message and inner exception.</summary>
    public RulesetChangedException(string message, Exception innerException)
        : base(NfTablesClient.ERESTART, message, innerException)
    {
    }

    /// <summary>The generation the last attempt was built from.</summary>
    public uint Generation { get; }

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; }
}
