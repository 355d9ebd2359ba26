using Netlink;
using Netlink.Netfilter.NfTables;

namespace ServiceProxy.Rules;

/// <summary>
/// The service rules in nf_tables, over netlink: one <c>inet</c> table (<see cref="TableName"/>) that serves IPv4 and
/// IPv6 alike, with the virtual IPs and node ports in named sets. <see cref="Apply(ServiceRuleSet)"/> replaces the whole table in one
/// transaction (add, delete, add again and fill), so traffic sees the old rules or the new ones and nothing between.
/// Needs CAP_NET_ADMIN and a kernel with nf_tables' nat, fib and masquerade support.
/// </summary>
public sealed class NfTablesServiceRules : IServiceRulesBackend
{
    private readonly INfTablesClient _client;

    /// <summary>
    /// Uses <paramref name="client"/>, which this backend then owns and disposes, and the table named by
    /// <see cref="ServiceRulesOptions.TableName"/> (its namespace is the client's).
    /// </summary>
    public NfTablesServiceRules(INfTablesClient client, ServiceRulesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= ServiceRulesOptions.Default;
        options.Validate();
        _client = client;
        TableName = options.TableName;
    }

    /// <summary>Opens a netlink socket inside <see cref="ServiceRulesOptions.Namespace"/> if given, else in the caller's network namespace.</summary>
    public static NfTablesServiceRules Open(ServiceRulesOptions? options = null)
    {
        options ??= ServiceRulesOptions.Default;
        options.Validate();
        return new(NfTablesClient.Open(new NfTablesClientOptions { Namespace = options.Namespace }), options);
    }

    /// <summary>The table the rules live in; nothing outside it is touched.</summary>
    public string TableName { get; }

    /// <inheritdoc />
    public ServiceRulesBackendKind Kind => ServiceRulesBackendKind.Nftables;

    /// <inheritdoc />
    /// <exception cref="NetlinkBatchException">The kernel refused the transaction; the message names the operation.</exception>
    public void Apply(ServiceRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        using Transaction transaction = CreateApplyTransaction(rules, TableName);
        _client.Commit(transaction);
    }

    /// <summary>The one transaction <see cref="Apply(ServiceRuleSet)"/> commits: the table replaced whole.</summary>
    internal static Transaction CreateApplyTransaction(ServiceRuleSet rules, string tableName)
    {
        var transaction = new Transaction();
        // Adding first makes the delete succeed on a host where the table does not exist yet.
        transaction.AddTable(new Table(NfTablesServiceRuleset.Family, tableName));
        transaction.DeleteTable(NfTablesServiceRuleset.Family, tableName);
        transaction.Add(NfTablesServiceRuleset.Build(rules, tableName));
        return transaction;
    }

    /// <inheritdoc />
    public ServiceRuleSet? Read()
    {
        if (!_client.ListTables(NfTablesServiceRuleset.Family).Any(t => t.Name == TableName))
        {
            return null;
        }
        IReadOnlyList<NftSet> sets = _client.ListSets(NfTablesServiceRuleset.Family, TableName);
        var elements = new Dictionary<NftSet, IReadOnlyList<SetElement>>(ReferenceEqualityComparer.Instance);
        foreach (NftSet set in sets.Where(s => !s.Flags.HasFlag(SetFlags.Anonymous)))
        {
            elements[set] = _client.ListElements(set.Family, TableName, set.Name);
        }
        var table = new Ruleset([], _client.ListChains(NfTablesServiceRuleset.Family, TableName),
            _client.ListRules(NfTablesServiceRuleset.Family, TableName), sets, elements);
        return NfTablesServiceRulesetReader.Read(table);
    }

    /// <inheritdoc />
    public void Remove()
    {
        using var transaction = new Transaction();
        transaction.AddTable(new Table(NfTablesServiceRuleset.Family, TableName));
        transaction.DeleteTable(NfTablesServiceRuleset.Family, TableName);
        _client.Commit(transaction);
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
