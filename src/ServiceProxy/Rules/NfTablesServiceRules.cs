using Netlink;
using Netlink.Netfilter.NfTables;

namespace ServiceProxy.Rules;

/// <summary>
/// The service rules in nf_tables, over netlink: one <c>inet</c> table (<see cref="TableName"/>) that serves IPv4 and
/// IPv6 alike, with the virtual IPs and node ports in named sets. <see cref="Apply(ServiceRuleSet)"/> replaces the whole table in one
/// transaction (add, delete, add again and fill), so traffic sees the old rules or the new ones and nothing between;
/// <see cref="Apply(ServiceRuleChange)"/> adds and deletes only the set elements that differ, also in one transaction.
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

    /// <inheritdoc />
    /// <remarks>
    /// When only the lists differ, one transaction adds and deletes the set elements that differ, one message each, and
    /// leaves the chains and rules as they are (so their handles and counters stay). A change of the mark,
    /// masquerade-all or cluster CIDRs, which are in the rules, or a table that is not there, replaces the table as
    /// <see cref="Apply(ServiceRuleSet)"/> does. An empty change sends nothing.
    /// </remarks>
    /// <exception cref="NetlinkBatchException">
    /// The kernel refused the transaction; the message names the element and set, such as
    /// <c>delete virtual IP tcp 198.18.0.1:80 from set inet ipvsd virtual-ips-v4: No such file or directory (ENOENT)</c>
    /// when someone else deleted it (<see cref="ServiceRuleChange.From"/> was not what is installed).
    /// </exception>
    public void Apply(ServiceRuleChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.IsEmpty)
        {
            return;
        }
        if (change.SettingsChanged || !TableExists())
        {
            Apply(change.To);
            return;
        }
        using NfTablesServiceChanges changes = NfTablesServiceChanges.Build(change, TableName);
        try
        {
            _client.Commit(changes.Transaction);
        }
        catch (NetlinkBatchException e) when (e.Errors.Count > 0 && changes.Describe(e.FailedIndex) is { } failed)
        {
            // The client names the message ("element 0 of set ..."); the element itself is what an operator can look for.
            throw new NetlinkBatchException(e.Errors[0], failed.Operation, failed.Target, e.Errors, e.CompletedRequests);
        }
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
        if (!TableExists())
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

    private bool TableExists() => _client.ListTables(NfTablesServiceRuleset.Family).Any(t => t.Name == TableName);

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
