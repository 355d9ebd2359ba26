using Netlink.Netfilter.NfTables.Codec;

namespace Netlink.Netfilter.NfTables;

/// <summary>
/// nf_tables operations queued for one atomic commit: an nfnetlink batch (NFNL_MSG_BATCH_BEGIN, the operations,
/// NFNL_MSG_BATCH_END) that the kernel applies all together or not at all. Each operation is encoded as it is queued,
/// so a transaction of a million objects costs one buffer. Commit it with <see cref="NfTablesClient.Commit(Transaction)"/>.
/// Objects created earlier in the same transaction can be referred to by name. Not thread-safe; dispose it after use.
/// </summary>
public sealed class Transaction : IDisposable
{
    private readonly NetlinkBuffer _buffer;
    private readonly List<(string Operation, object? Target)> _operations = [];
    private bool _sealed;

    /// <summary>
    /// Creates an empty transaction. With a nonzero <paramref name="generation"/> (from
    /// <see cref="NfTablesClient.GetGeneration"/>), the kernel refuses the commit with ERESTART if the ruleset changed
    /// since that generation (NFNL_BATCH_GENID), so a transaction computed from a read cannot overwrite a newer state.
    /// </summary>
    public Transaction(uint generation = 0, int initialCapacity = 64 * 1024)
    {
        Generation = generation;
        _buffer = new NetlinkBuffer(initialCapacity);
        NfMessageWriter.BatchBegin(new NetlinkWriter(_buffer), generation);
    }

    /// <summary>The generation the commit is guarded by (NFNL_BATCH_GENID), or 0 for none.</summary>
    public uint Generation { get; }

    /// <summary>How many messages are queued (not counting the batch's begin and end).</summary>
    public int Count => _operations.Count;

    /// <summary>Bytes queued so far.</summary>
    public int Length => _buffer.Length;

    /// <summary>Whether nothing is queued.</summary>
    public bool IsEmpty => _operations.Count == 0;

    /// <summary>Adds a table (NFT_MSG_NEWTABLE, NLM_F_CREATE: no error if it exists; with <paramref name="exclusive"/>, EEXIST).</summary>
    public Transaction AddTable(Table table, bool exclusive = false)
    {
        ArgumentNullException.ThrowIfNull(table);
        NfMessageWriter.NewTable(Writer(), table, Create(exclusive));
        return Queued("add", table);
    }

    /// <summary>Deletes a table and everything in it (NFT_MSG_DELTABLE). ENOENT if there is none.</summary>
    public Transaction DeleteTable(TableFamily family, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        NfMessageWriter.DeleteTable(Writer(), family, name);
        return Queued("delete", new Table(family, name));
    }

    /// <summary>Adds a chain (NFT_MSG_NEWCHAIN, NLM_F_CREATE; with <paramref name="exclusive"/>, EEXIST if it exists).</summary>
    public Transaction AddChain(Chain chain, bool exclusive = false)
    {
        ArgumentNullException.ThrowIfNull(chain);
        NfMessageWriter.NewChain(Writer(), chain, Create(exclusive));
        return Queued("add", chain);
    }

    /// <summary>Deletes an empty, unreferenced chain (NFT_MSG_DELCHAIN).</summary>
    public Transaction DeleteChain(TableFamily family, string table, string chain)
    {
        NfMessageWriter.DeleteChain(Writer(), family, table, chain, flush: false);
        return Queued("delete", new Chain(family, table, chain));
    }

    /// <summary>Deletes every rule of a chain (NFT_MSG_DELRULE with no handle; <c>nft flush chain</c>).</summary>
    public Transaction FlushChain(TableFamily family, string table, string chain)
    {
        NfMessageWriter.DeleteChain(Writer(), family, table, chain, flush: true);
        return Queued("flush", new Chain(family, table, chain));
    }

    /// <summary>Appends a rule at the end of its chain, or after the rule with handle <paramref name="afterHandle"/> (NLM_F_APPEND).</summary>
    public Transaction AddRule(Rule rule, ulong afterHandle = 0)
    {
        ArgumentNullException.ThrowIfNull(rule);
        NfMessageWriter.NewRule(Writer(), rule, NetlinkMessageFlags.Create | NetlinkMessageFlags.Append, afterHandle, replace: false);
        return Queued("add", rule);
    }

    /// <summary>Inserts a rule at the start of its chain, or before the rule with handle <paramref name="beforeHandle"/>.</summary>
    public Transaction InsertRule(Rule rule, ulong beforeHandle = 0)
    {
        ArgumentNullException.ThrowIfNull(rule);
        NfMessageWriter.NewRule(Writer(), rule, NetlinkMessageFlags.Create, beforeHandle, replace: false);
        return Queued("insert", rule);
    }

    /// <summary>Replaces the rule whose handle is <see cref="Rule.Handle"/> (NLM_F_REPLACE); the new rule gets a new handle.</summary>
    public Transaction ReplaceRule(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Handle == 0)
        {
            throw new ArgumentException("replacing a rule needs its handle", nameof(rule));
        }
        NfMessageWriter.NewRule(Writer(), rule, NetlinkMessageFlags.Replace, 0, replace: true);
        return Queued("replace", rule);
    }

    /// <summary>Deletes the rule with <paramref name="handle"/> (NFT_MSG_DELRULE).</summary>
    public Transaction DeleteRule(TableFamily family, string table, string chain, ulong handle)
    {
        NfMessageWriter.DeleteRule(Writer(), family, table, chain, handle);
        return Queued("delete", new Rule(family, table, chain, []) { Handle = handle });
    }

    /// <summary>Adds a set, map or verdict map (NFT_MSG_NEWSET, NLM_F_CREATE; with <paramref name="exclusive"/>, EEXIST).</summary>
    public Transaction AddSet(NftSet set, bool exclusive = false)
    {
        ArgumentNullException.ThrowIfNull(set);
        NfMessageWriter.NewSet(Writer(), set, Create(exclusive), (uint)_operations.Count + 1);
        return Queued("add", set);
    }

    /// <summary>Deletes a set that no rule uses (NFT_MSG_DELSET).</summary>
    public Transaction DeleteSet(TableFamily family, string table, string name)
    {
        NfMessageWriter.DeleteSet(Writer(), family, table, name);
        return Queued("delete", new NftSet(family, table, name, SetType.Number));
    }

    /// <summary>
    /// Adds elements to a set or map (NFT_MSG_NEWSETELEM), as many messages as their size needs (a message's element
    /// list is limited to 64 KiB). With <paramref name="exclusive"/>, an element that exists fails with EEXIST.
    /// </summary>
    public Transaction AddElements(NftSet set, IEnumerable<SetElement> elements, bool exclusive = false)
    {
        ArgumentNullException.ThrowIfNull(set);
        return WriteElements(true, set.Family, set.Table, set.Name, elements, Create(exclusive), "add");
    }

    /// <summary>Adds elements to the set named <paramref name="set"/>.</summary>
    public Transaction AddElements(TableFamily family, string table, string set, IEnumerable<SetElement> elements) =>
        WriteElements(true, family, table, set, elements, NetlinkMessageFlags.Create, "add");

    /// <summary>Removes elements (only their keys matter) from a set or map (NFT_MSG_DELSETELEM). ENOENT for a missing one.</summary>
    public Transaction DeleteElements(TableFamily family, string table, string set, IEnumerable<SetElement> elements) =>
        WriteElements(false, family, table, set, elements, NetlinkMessageFlags.None, "delete");

    /// <summary>
    /// Queues a whole <see cref="Ruleset"/> (as read by <see cref="NfTablesClient.ListRuleset"/>) in the order the kernel
    /// needs: tables, chains, sets with their elements, then rules. Anonymous sets are created and bound in this same
    /// transaction, as the kernel requires. Handles are dropped; the kernel assigns new ones.
    /// </summary>
    public Transaction Add(Ruleset ruleset)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        foreach (Table table in ruleset.Tables)
        {
            AddTable(table);
        }
        foreach (Chain chain in ruleset.Chains)
        {
            AddChain(chain);
        }
        foreach (NftSet set in ruleset.Sets)
        {
            AddSet(set);
            if (ruleset.Elements.TryGetValue(set, out IReadOnlyList<SetElement>? elements) && elements.Count > 0)
            {
                AddElements(set, elements);
            }
        }
        foreach (Rule rule in ruleset.Rules)
        {
            AddRule(rule with { Handle = 0 });
        }
        return this;
    }

    private Transaction WriteElements(bool add, TableFamily family, string table, string set, IEnumerable<SetElement> elements, NetlinkMessageFlags flags, string verb)
    {
        ArgumentNullException.ThrowIfNull(elements);
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentException.ThrowIfNullOrEmpty(set);
        NetlinkWriter writer = Writer();
        int index = 0;
        int chunkStart = 0;
        NetlinkMessageToken message = default;
        NetlinkNestToken list = default;
        int listStart = 0;
        bool open = false;
        foreach (SetElement element in elements)
        {
            ArgumentNullException.ThrowIfNull(element);
            if (open && _buffer.Length - listStart > NfMessageWriter.MaxElementListBytes)
            {
                NfMessageWriter.EndElements(writer, message, list);
                _operations.Add((verb, new ElementRange(family, table, set, chunkStart, index - chunkStart)));
                open = false;
            }
            if (!open)
            {
                message = NfMessageWriter.BeginElements(writer, add, flags, family, table, set, out list);
                listStart = _buffer.Length;
                chunkStart = index;
                open = true;
            }
            NfMessageWriter.Element(writer, element, add);
            index++;
        }
        if (open)
        {
            NfMessageWriter.EndElements(writer, message, list);
            _operations.Add((verb, new ElementRange(family, table, set, chunkStart, index - chunkStart)));
        }
        return this;
    }

    private static NetlinkMessageFlags Create(bool exclusive) =>
        NetlinkMessageFlags.Create | (exclusive ? NetlinkMessageFlags.Exclusive : NetlinkMessageFlags.None);

    private NetlinkWriter Writer()
    {
        ObjectDisposedException.ThrowIf(_buffer.Capacity == 0, this);
        if (_sealed)
        {
            throw new InvalidOperationException("the transaction was already committed; start a new one");
        }
        return new NetlinkWriter(_buffer);
    }

    private Transaction Queued(string operation, object target)
    {
        _operations.Add((operation, target));
        return this;
    }

    /// <summary>Seals the batch (appends NFNL_MSG_BATCH_END) and returns its bytes; nothing can be queued after.</summary>
    internal NetlinkBuffer Seal()
    {
        if (!_sealed)
        {
            NfMessageWriter.BatchEnd(Writer());
            _sealed = true;
        }
        return _buffer;
    }

    /// <summary>Names the operation behind message <paramref name="index"/> of the sealed batch (0 is the batch's begin).</summary>
    internal (string Operation, string? Target) Describe(int index)
    {
        if (index <= 0)
        {
            return ("commit", $"transaction of {_operations.Count} operation(s)");
        }
        if (index > _operations.Count)
        {
            return ("end", "transaction");
        }
        (string operation, object? target) = _operations[index - 1];
        return (operation, target?.ToString());
    }

    /// <inheritdoc />
    public void Dispose() => _buffer.Dispose();

    private sealed record ElementRange(TableFamily Family, string Table, string Set, int First, int Count)
    {
        public override string ToString() => Count == 1
            ? $"element {First} of set {FamilyNames.Of(Family)} {Table} {Set}"
            : $"elements {First}..{First + Count - 1} of set {FamilyNames.Of(Family)} {Table} {Set}";
    }
}
