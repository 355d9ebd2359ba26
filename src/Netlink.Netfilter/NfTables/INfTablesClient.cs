namespace Netlink.Netfilter.NfTables;

/// <summary>
/// What a caller does with nf_tables (NFNL_SUBSYS_NFTABLES): the operations of <see cref="NfTablesClient"/>, as an
/// interface so the layer above can run on a fake. Errors are <see cref="NetlinkException"/>s naming the operation,
/// the object and the errno.
/// </summary>
public interface INfTablesClient : IDisposable
{
    /// <summary>
    /// Commits <paramref name="transaction"/> as one batch (NFNL_MSG_BATCH_BEGIN ... NFNL_MSG_BATCH_END): every operation
    /// or none. Throws <see cref="NetlinkBatchException"/> naming the first failed operation, or
    /// <see cref="RulesetChangedException"/> when the transaction's generation guard no longer holds.
    /// </summary>
    void Commit(Transaction transaction);

    /// <summary>Commits the staging transactions of <paramref name="staged"/> in order, then its activation transaction.</summary>
    void Commit(StagedTransaction staged);

    /// <summary>
    /// Reads the generation, lets <paramref name="build"/> fill a transaction guarded by it, and commits; builds and
    /// commits again while the ruleset changed in between, up to <paramref name="maxAttempts"/> times.
    /// </summary>
    void Commit(Action<Transaction> build, int maxAttempts = 3);

    /// <summary>The ruleset's generation id (NFT_MSG_GETGEN); every commit increments it.</summary>
    uint GetGeneration();

    /// <summary>Lists the tables (NFT_MSG_GETTABLE), of one family or all.</summary>
    IReadOnlyList<Table> ListTables(TableFamily? family = null);

    /// <summary>Lists the chains (NFT_MSG_GETCHAIN), of one family and table or all.</summary>
    IReadOnlyList<Chain> ListChains(TableFamily? family = null, string? table = null);

    /// <summary>Lists the rules with their handles (NFT_MSG_GETRULE), of one family, table and chain, or all.</summary>
    IReadOnlyList<Rule> ListRules(TableFamily? family = null, string? table = null, string? chain = null);

    /// <summary>Lists the sets and maps (NFT_MSG_GETSET), anonymous ones included, of one family and table or all.</summary>
    IReadOnlyList<NftSet> ListSets(TableFamily? family = null, string? table = null);

    /// <summary>Lists the elements of one set or map (NFT_MSG_GETSETELEM). ENOENT if there is no such set.</summary>
    IReadOnlyList<SetElement> ListElements(TableFamily family, string table, string setName);

    /// <summary>Reads everything: tables, chains, rules, sets, and every set's elements.</summary>
    Ruleset ListRuleset(TableFamily? family = null);
}
