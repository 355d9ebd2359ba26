namespace Netlink.Netfilter.NfTables;

/// <summary>
/// A large change committed as several transactions that traffic still sees as one: first any number of staging
/// transactions that build objects no packet can reach yet (chains no hooked chain jumps to, sets and maps no rule
/// looks up yet, a new table without base chains), then one activation transaction that makes them reachable (adds the
/// base chain or the jump, swaps the old table out) atomically. Traffic sees the old ruleset until the activation
/// commits and the whole new one after it, never a mix.
/// <para>
/// Why: the kernel does work per operation that grows with the size of the transaction it is in. Binding an anonymous
/// set (<c>numgen ... vmap { ... }</c>) walks the whole transaction's list of pending changes
/// (<c>__nft_set_trans_bind</c> in net/netfilter/nf_tables_api.c), so one transaction of N services with an anonymous map
/// each costs O(N²). Staging keeps every transaction small: cost O(N × <see cref="MaxOperationsPerStage"/>).
/// </para>
/// <para>
/// Commit it with <see cref="NfTablesClient.Commit(StagedTransaction)"/>. If a staging transaction fails, the stages
/// before it stay committed but unreachable; delete what they built (typically the new table) to clean up.
/// </para>
/// </summary>
public sealed class StagedTransaction : IDisposable
{
    private readonly List<Transaction> _stages = [];

    /// <summary>Creates an empty staged change whose stages hold about <paramref name="maxOperationsPerStage"/> operations each.</summary>
    public StagedTransaction(int maxOperationsPerStage = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOperationsPerStage, 1);
        MaxOperationsPerStage = maxOperationsPerStage;
    }

    /// <summary>Operations after which <see cref="Stage"/> starts a new staging transaction.</summary>
    public int MaxOperationsPerStage { get; }

    /// <summary>The staging transactions so far, in commit order.</summary>
    public IReadOnlyList<Transaction> Stages => _stages;

    /// <summary>The last transaction: it makes the staged objects reachable, atomically.</summary>
    public Transaction Activation { get; } = new();

    /// <summary>
    /// The staging transaction to queue the next group of operations into. Everything queued through one returned
    /// transaction goes into the same kernel transaction, so queue an anonymous set, its elements and the rule that
    /// binds it through one call; a new stage starts only between calls.
    /// </summary>
    public Transaction Stage()
    {
        if (_stages.Count == 0 || _stages[^1].Count >= MaxOperationsPerStage)
        {
            _stages.Add(new Transaction(initialCapacity: 256 * 1024));
        }
        return _stages[^1];
    }

    /// <summary>Bytes queued in all transactions.</summary>
    public long Length => _stages.Sum(s => (long)s.Length) + Activation.Length;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Transaction stage in _stages)
        {
            stage.Dispose();
        }
        Activation.Dispose();
    }
}
