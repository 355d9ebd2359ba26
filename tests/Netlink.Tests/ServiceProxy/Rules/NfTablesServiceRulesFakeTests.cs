using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Codec;
using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Rules;

/// <summary>Which transaction <see cref="NfTablesServiceRules.Apply(ServiceRuleChange)"/> commits, on a client that records them.</summary>
public sealed class NfTablesServiceRulesFakeTests
{
    private const int DeleteTable = 2, NewElements = 12, DeleteElements = 14;

    private static readonly ServiceRuleSet s_fewer = Samples.Everything with { VirtualIps = [.. Samples.Everything.VirtualIps.Skip(1)] };

    [Fact]
    public void A_change_of_lists_commits_only_element_messages()
    {
        var client = new RecordingClient { Tables = [new Table(TableFamily.Inet, "ipvsd")] };
        using var rules = new NfTablesServiceRules(client);

        rules.Apply(ServiceRuleChange.Between(Samples.Everything, s_fewer));

        Assert.Equal([DeleteElements], Assert.Single(client.Committed));
    }

    [Fact]
    public void An_empty_change_sends_nothing()
    {
        var client = new RecordingClient { Tables = [new Table(TableFamily.Inet, "ipvsd")] };
        using var rules = new NfTablesServiceRules(client);

        rules.Apply(ServiceRuleChange.Between(Samples.Everything, Samples.Everything));

        Assert.Empty(client.Committed);
        Assert.Equal(0, client.TableLists);
    }

    [Fact]
    public void A_change_of_settings_replaces_the_table()
    {
        var client = new RecordingClient { Tables = [new Table(TableFamily.Inet, "ipvsd")] };
        using var rules = new NfTablesServiceRules(client);

        rules.Apply(ServiceRuleChange.Between(Samples.Everything, s_fewer with { MasqueradeAll = true, ClusterCidrs = [] }));

        Assert.Contains(DeleteTable, Assert.Single(client.Committed));
    }

    [Fact]
    public void Without_the_table_the_change_installs_the_whole_set()
    {
        var client = new RecordingClient { Tables = [new Table(TableFamily.Inet, "other")] };
        using var rules = new NfTablesServiceRules(client);

        rules.Apply(ServiceRuleChange.Between(Samples.Everything, s_fewer));

        List<int> committed = Assert.Single(client.Committed);
        Assert.Contains(DeleteTable, committed);
        Assert.Contains(NewElements, committed);
        Assert.DoesNotContain(DeleteElements, committed);
    }

    [Fact]
    public void A_refused_element_is_named_in_the_error()
    {
        var client = new RecordingClient
        {
            Tables = [new Table(TableFamily.Inet, "ipvsd")],
            FailAt = new NetlinkOperationError(1, Errno.ENOENT, null, null),
        };
        using var rules = new NfTablesServiceRules(client);

        NetlinkBatchException e = Assert.Throws<NetlinkBatchException>(() => rules.Apply(ServiceRuleChange.Between(Samples.Everything, s_fewer)));

        Assert.Equal(Errno.ENOENT, e.ErrorNumber);
        Assert.Equal(1, e.FailedIndex);
        Assert.Equal("delete virtual IP", e.Operation);
        Assert.StartsWith($"delete virtual IP {Samples.Everything.VirtualIps[0]} from set inet ipvsd virtual-ips-v4: ", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Records the message types of each committed transaction; lists the tables it is given; fails a commit when told.</summary>
    private sealed class RecordingClient : INfTablesClient
    {
        public IReadOnlyList<Table> Tables { get; init; } = [];

        public NetlinkOperationError? FailAt { get; init; }

        public List<List<int>> Committed { get; } = [];

        public int TableLists { get; private set; }

        public void Commit(Transaction transaction)
        {
            var kinds = new List<int>();
            var reader = new NetlinkMessageReader(transaction.Seal().WrittenSpan);
            while (reader.TryRead(out NetlinkMessage m))
            {
                if (NfMessageParser.NftMessage(m) is int kind and >= 0)
                {
                    kinds.Add(kind);
                }
            }
            if (FailAt is { } error)
            {
                (string operation, string? target) = transaction.Describe(error.Index);
                throw new NetlinkBatchException(error, operation, target, [error], kinds.Count + 2);
            }
            Committed.Add(kinds);
        }

        public IReadOnlyList<Table> ListTables(TableFamily? family = null)
        {
            TableLists++;
            return Tables;
        }

        public void Commit(StagedTransaction staged) => throw new NotSupportedException();

        public void Commit(Action<Transaction> build, int maxAttempts = 3) => throw new NotSupportedException();

        public uint GetGeneration() => throw new NotSupportedException();

        public IReadOnlyList<Chain> ListChains(TableFamily? family = null, string? table = null) => throw new NotSupportedException();

        public IReadOnlyList<Rule> ListRules(TableFamily? family = null, string? table = null, string? chain = null) => throw new NotSupportedException();

        public IReadOnlyList<NftSet> ListSets(TableFamily? family = null, string? table = null) => throw new NotSupportedException();

        public IReadOnlyList<SetElement> ListElements(TableFamily family, string table, string setName) => throw new NotSupportedException();

        public Ruleset ListRuleset(TableFamily? family = null) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
