using System.Diagnostics.CodeAnalysis;
using Netlink.Netfilter.NfTables.Codec;
using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables;

/// <summary>
/// nf_tables over one reused NETLINK_NETFILTER socket: commits <see cref="Transaction"/>s atomically, guarded by the
/// ruleset generation when asked, and reads tables, chains, rules, sets and elements back into the same model.
/// Not thread-safe: one operation at a time. Using one client from two threads at once throws
/// <see cref="InvalidOperationException"/> (its connection detects the overlap) rather than mixing up requests or
/// replies; use one client per thread, or lock around it.
/// </summary>
public sealed class NfTablesClient : INfTablesClient
{
    /// <summary>ERESTART: the kernel's answer to a batch whose NFNL_BATCH_GENID is no longer current.</summary>
    internal const int ERESTART = 85;

    private const int RequestSize = 256;

    private readonly NetlinkConnection _connection;

    private NfTablesClient(NetlinkConnection connection) => _connection = connection;

    /// <summary>
    /// Opens a NETLINK_NETFILTER socket (in <see cref="NetlinkClientOptions.Namespace"/> if given). Throws
    /// <see cref="NetlinkException"/> when it cannot, EPROTONOSUPPORT included.
    /// </summary>
    public static NfTablesClient Open(NfTablesClientOptions? options = null) =>
        new(NetlinkConnection.Open(NetlinkProtocol.Netfilter, (options ?? NfTablesClientOptions.Default).ToSocketOptions()));

    /// <summary>
    /// Like <see cref="Open(NfTablesClientOptions?)"/>, but a kernel without nfnetlink (EPROTONOSUPPORT) is an answer:
    /// returns false with the reason. Every other failure still throws.
    /// </summary>
    public static bool TryOpen(NfTablesClientOptions? options, [NotNullWhen(true)] out NfTablesClient? client, [NotNullWhen(false)] out string? unavailableReason)
    {
        bool opened = NetlinkConnection.TryOpen(NetlinkProtocol.Netfilter, (options ?? NfTablesClientOptions.Default).ToSocketOptions(), out NetlinkConnection? connection, out unavailableReason);
        client = opened ? new NfTablesClient(connection!) : null;
        return opened;
    }

    /// <summary>Wraps a NETLINK_NETFILTER connection (or a test's stand-in), which the client then owns. Sends nothing.</summary>
    public static NfTablesClient Open(NetlinkConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new NfTablesClient(connection);
    }

    /// <summary>
    /// Commits <paramref name="transaction"/> as one nfnetlink batch in one send: the kernel applies every operation or
    /// none. On failure throws <see cref="NetlinkBatchException"/> naming the first operation that failed (such as
    /// <c>add rule in ip nat svc-1: No such file or directory (ENOENT)</c>), or <see cref="RulesetChangedException"/> when
    /// the transaction's generation guard no longer holds. An empty transaction commits nothing.
    /// </summary>
    public void Commit(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.IsEmpty)
        {
            return;
        }
        NetlinkBuffer batch = transaction.Seal();
        try
        {
            _connection.ExecuteFramedBatch(batch, transaction.Describe);
        }
        catch (NetlinkBatchException e) when (e.ErrorNumber == ERESTART && e.FailedIndex == 0)
        {
            throw new RulesetChangedException(transaction.Generation, e);
        }
    }

    /// <summary>
    /// Commits the staging transactions of <paramref name="staged"/> in order, then its activation transaction; see
    /// <see cref="StagedTransaction"/> for why and when traffic sees the change (at the activation only).
    /// </summary>
    public void Commit(StagedTransaction staged)
    {
        ArgumentNullException.ThrowIfNull(staged);
        foreach (Transaction stage in staged.Stages)
        {
            Commit(stage);
        }
        Commit(staged.Activation);
    }

    /// <summary>
    /// Reads the generation, lets <paramref name="build"/> fill a transaction guarded by it (reading whatever state it
    /// needs), and commits. If the ruleset changed in between, builds and commits again, up to
    /// <paramref name="maxAttempts"/> times, then throws <see cref="RulesetChangedException"/>.
    /// </summary>
    public void Commit(Action<Transaction> build, int maxAttempts = 3)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        for (int attempt = 1; ; attempt++)
        {
            uint generation = GetGeneration();
            using var transaction = new Transaction(generation);
            build(transaction);
            try
            {
                Commit(transaction);
                return;
            }
            catch (RulesetChangedException e) when (attempt < maxAttempts)
            {
                _ = e;
            }
            catch (RulesetChangedException e)
            {
                throw new RulesetChangedException(generation, maxAttempts, e);
            }
        }
    }

    /// <summary>The ruleset's generation id (NFT_MSG_GETGEN); every commit increments it.</summary>
    public uint GetGeneration()
    {
        using var request = new NetlinkBuffer(RequestSize);
        NfMessageWriter.Get(new NetlinkWriter(request), NFT_MSG_GETGEN, null);
        uint? generation = _connection.Query(
            request,
            static message => NfMessageParser.NftMessage(message) == NFT_MSG_NEWGEN ? NfMessageParser.ParseGeneration(message) : (uint?)null,
            "get ruleset generation",
            null);
        return generation ?? throw new NetlinkProtocolException("no NFT_MSG_NEWGEN reply to NFT_MSG_GETGEN");
    }

    /// <summary>Lists the tables, of one family or all.</summary>
    public IReadOnlyList<Table> ListTables(TableFamily? family = null) =>
        Dump(NFT_MSG_GETTABLE, NFT_MSG_NEWTABLE, family, null, null, static (in NetlinkMessage m) => NfMessageParser.ParseTable(m), "list tables");

    /// <summary>Lists the chains, of one family and table or all.</summary>
    public IReadOnlyList<Chain> ListChains(TableFamily? family = null, string? table = null) =>
        Dump(NFT_MSG_GETCHAIN, NFT_MSG_NEWCHAIN, family, table, null, static (in NetlinkMessage m) => NfMessageParser.ParseChain(m), "list chains", table);

    /// <summary>Lists the rules with their handles, of one family, table and chain, or all; in chain order.</summary>
    public IReadOnlyList<Rule> ListRules(TableFamily? family = null, string? table = null, string? chain = null) =>
        Dump(NFT_MSG_GETRULE, NFT_MSG_NEWRULE, family, table, chain, static (in NetlinkMessage m) => NfMessageParser.ParseRule(m), "list rules", chain ?? table);

    /// <summary>Lists the sets and maps (anonymous ones included), of one family and table or all.</summary>
    public IReadOnlyList<NftSet> ListSets(TableFamily? family = null, string? table = null) =>
        Dump(NFT_MSG_GETSET, NFT_MSG_NEWSET, family, table, null, static (in NetlinkMessage m) => NfMessageParser.ParseSet(m), "list sets", table);

    /// <summary>Lists the elements of one set or map. ENOENT if there is no such set.</summary>
    public IReadOnlyList<SetElement> ListElements(TableFamily family, string table, string setName)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentException.ThrowIfNullOrEmpty(setName);
        using var request = new NetlinkBuffer(RequestSize);
        NfMessageWriter.Get(new NetlinkWriter(request), NFT_MSG_GETSETELEM, family, table, setName);
        // One NFT_MSG_NEWSETELEM message carries many elements, so the dump yields lists, joined here.
        List<List<SetElement>> batches = _connection.Dump(request, static message =>
        {
            if (NfMessageParser.NftMessage(message) != NFT_MSG_NEWSETELEM)
            {
                return null;
            }
            var elements = new List<SetElement>();
            NfMessageParser.ParseElements(message, elements);
            return elements;
        }, "list elements of set", $"{FamilyNames.Of(family)} {table} {setName}");
        return batches.Count == 1 ? batches[0] : [.. batches.SelectMany(b => b)];
    }

    /// <summary>Reads everything: tables, chains, rules, sets, and every set's elements.</summary>
    public Ruleset ListRuleset(TableFamily? family = null)
    {
        IReadOnlyList<NftSet> sets = ListSets(family);
        var elements = new Dictionary<NftSet, IReadOnlyList<SetElement>>(ReferenceEqualityComparer.Instance);
        foreach (NftSet set in sets)
        {
            elements[set] = ListElements(set.Family, set.Table, set.Name);
        }
        return new Ruleset(ListTables(family), ListChains(family), ListRules(family), sets, elements);
    }

    private delegate T Parser<T>(in NetlinkMessage message);

    /// <summary>Dumps with <paramref name="get"/> and parses the <paramref name="reply"/> messages, skipping any other kind.</summary>
    private List<T> Dump<T>(ushort get, ushort reply, TableFamily? family, string? table, string? name, Parser<T> parse, string operation, string? target = null)
        where T : class
    {
        using var request = new NetlinkBuffer(RequestSize);
        NfMessageWriter.Get(new NetlinkWriter(request), get, family, table, name);
        return _connection.Dump(request, message => NfMessageParser.NftMessage(message) == reply ? parse(message) : null, operation, target);
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
