using System.Text.RegularExpressions;
using Netlink;

namespace ServiceProxy.Rules;

/// <summary>
/// Where and under which names a service-rules backend keeps its objects, so that two programs (or two instances)
/// can each own their own rules on one host.
/// </summary>
public sealed partial class ServiceRulesOptions
{
    /// <summary>iptables' limit on a chain name (XT_EXTENSION_MAXNAMELEN less its NUL).</summary>
    private const int MaxChainName = 28;

    /// <summary>The longest suffix the backend appends to <see cref="ChainPrefix"/> (IPVS-FILTER is as long).</summary>
    private const string LongestSuffix = "POSTROUTING";

    /// <summary>ipset's limit on a set name (IPSET_MAXNAMELEN less its NUL).</summary>
    private const int MaxSetName = 31;

    /// <summary>nf_tables' limit on a table name (NFT_NAME_MAXLEN less its NUL).</summary>
    private const int MaxTableName = 255;

    /// <summary>The nf_tables backend's <c>inet</c> table; nothing outside it is touched. Default "ipvsd".</summary>
    public string TableName { get; init; } = "ipvsd";

    /// <summary>
    /// The iptables backend's chains are this followed by SERVICES, VIRTUAL-IP, MARK-MASQ and POSTROUTING (nat table),
    /// IPVS-FILTER (filter table) and FIREWALL (mangle table), and its ipsets this followed by VIRTUAL-IPS-V4 and the rest
    /// (<see cref="IptablesServiceRules"/>); every chain and set that starts with it is the backend's to remove. At most
    /// 14 characters (ipset names are short). Default "IPVSD-".
    /// </summary>
    public string ChainPrefix { get; init; } = "IPVSD-";

    /// <summary>Who installed the rules, written into the comments of the jumps from the built-in chains. Default "ipvsd".</summary>
    public string Owner { get; init; } = "ipvsd";

    /// <summary>Work in this network namespace (null: the caller's).</summary>
    public NetworkNamespace? Namespace { get; init; }

    /// <summary>The defaults.</summary>
    public static ServiceRulesOptions Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting that a backend could not use.</summary>
    public void Validate()
    {
        if (TableName.Length is 0 or > MaxTableName || !Name().IsMatch(TableName))
        {
            throw new ArgumentException($"table name '{TableName}' is not usable: use 1 to {MaxTableName} letters, digits, '-', '_' or '.'", nameof(TableName));
        }
        // ipset names are shorter than chain names (31 bytes against 28 + suffix), so the sets bound the prefix.
        int longest = Math.Min(MaxChainName - LongestSuffix.Length, MaxSetName - IptablesSets.LongestSuffix);
        if (ChainPrefix.Length == 0 || ChainPrefix.Length > longest || !Name().IsMatch(ChainPrefix))
        {
            throw new ArgumentException(
                $"chain prefix '{ChainPrefix}' is not usable: use 1 to {longest} letters, digits, '-', '_' or '.'", nameof(ChainPrefix));
        }
        if (Owner.Length == 0 || Owner.Any(c => char.IsControl(c) || c == '"'))
        {
            throw new ArgumentException($"owner '{Owner}' is not usable in a rule comment: use printable text without quotes", nameof(Owner));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex Name();
}
