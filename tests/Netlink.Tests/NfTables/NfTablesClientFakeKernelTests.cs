using System.Buffers.Binary;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Expressions;
using Netlink.Testing;
using Netlink.Tests.Core;

namespace Netlink.Tests.NfTables;

/// <summary>The client against a scripted kernel that behaves as nfnetlink_rcv_batch does.</summary>
public sealed class NfTablesClientFakeKernelTests
{
    private const TableFamily Ip = TableFamily.IPv4;

    private static Transaction ThreeRules()
    {
        var tx = new Transaction();
        tx.AddChain(new Chain(Ip, "t", "c"))
          .AddRule(new Rule(Ip, "t", "c", [new CounterExpression()]))
          .AddRule(new Rule(Ip, "t", "missing", [new CounterExpression()]))
          .AddRule(new Rule(Ip, "t", "c", [ImmediateExpression.Of(Verdict.Accept)]));
        return tx;
    }

    [Fact]
    public void A_commit_is_one_datagram_framed_by_begin_and_end_with_an_ack_asked_only_of_the_last_operation()
    {
        var kernel = ScriptedTransport.AckEverything();
        using var client = NfTablesClient.Open(new NetlinkConnection(kernel));
        using Transaction tx = ThreeRules();
        client.Commit(tx);
        IReadOnlyList<SentMessage> sent = Assert.Single(kernel.SentBatches);
        Assert.Equal(6, sent.Count);
        Assert.Equal(0x10, sent[0].Type);
        Assert.Equal(0x11, sent[^1].Type);
        Assert.All(sent, m => Assert.True(m.Has(NetlinkMessageFlags.Request)));
        Assert.Equal([false, false, false, false, true, false], sent.Select(m => m.Has(NetlinkMessageFlags.Ack)));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => sent[0].Sequence + (uint)i), sent.Select(m => m.Sequence));
    }

    [Fact]
    public void A_refused_operation_is_named_by_its_sequence_number()
    {
        // The kernel reports every failing message unasked, then acks the last one, all after aborting the batch.
        var kernel = new ScriptedTransport(sent => [KernelReplies.Datagram(KernelReplies.Error(sent[3], Errno.ENOENT), KernelReplies.Ack(sent[4]))]);
        using var client = NfTablesClient.Open(new NetlinkConnection(kernel));
        using Transaction tx = ThreeRules();
        NetlinkBatchException e = Assert.Throws<NetlinkBatchException>(() => client.Commit(tx));
        Assert.Equal(3, e.FailedIndex);
        Assert.Equal("add rule in ip t missing: No such file or directory (ENOENT)", e.Message);
    }

    [Fact]
    public void A_stale_generation_is_refused_on_the_batch_header_and_the_retrying_commit_builds_again()
    {
        uint generation = 41;
        int commits = 0;
        var kernel = new ScriptedTransport(sent =>
        {
            SentMessage first = sent[0];
            if (first.Type == (10 << 8 | 16))
            {
                // NFT_MSG_GETGEN: NFT_MSG_NEWGEN { NFTA_GEN_ID } then the ack.
                byte[] id = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(id, generation);
                return [KernelReplies.Datagram(KernelReplies.Reply(first, 10 << 8 | 15, [0, 0, 0, 0, .. KernelReplies.Attr(1, id)]), KernelReplies.Ack(first))];
            }
            commits++;
            uint guard = first.Payload.Length >= 12 ? BinaryPrimitives.ReadUInt32BigEndian(first.Payload.AsSpan(8)) : 0;
            if (guard != generation)
            {
                return [KernelReplies.Error(first, 85)]; // ERESTART on the batch header
            }
            generation++;
            return [KernelReplies.Ack(sent[^2])];
        });
        using var client = NfTablesClient.Open(new NetlinkConnection(kernel));
        Assert.Equal(41u, client.GetGeneration());

        using (var stale = new Transaction(40))
        {
            stale.AddTable(new Table(Ip, "t"));
            RulesetChangedException e = Assert.Throws<RulesetChangedException>(() => client.Commit(stale));
            Assert.Equal(40u, e.Generation);
        }

        int builds = 0;
        client.Commit(tx =>
        {
            builds++;
            if (builds == 1)
            {
                generation++; // another writer commits between our read and our commit
            }
            tx.AddTable(new Table(Ip, "t"));
        });
        Assert.Equal(2, builds);

        RulesetChangedException last = Assert.Throws<RulesetChangedException>(() => client.Commit(tx =>
        {
            generation++;
            tx.AddTable(new Table(Ip, "t"));
        }, maxAttempts: 2));
        Assert.Equal(2, last.Attempts);
    }

    [Fact]
    public void Staged_commits_send_each_stage_then_the_activation()
    {
        var kernel = ScriptedTransport.AckEverything();
        using var client = NfTablesClient.Open(new NetlinkConnection(kernel));
        using var staged = new StagedTransaction(maxOperationsPerStage: 2);
        for (int i = 0; i < 5; i++)
        {
            staged.Stage().AddChain(new Chain(Ip, "t", "c" + i));
        }
        staged.Activation.AddChain(new Chain(Ip, "t", "pre") { Base = new BaseChainSpec(ChainType.Nat, HookPoint.Prerouting, ChainPriority.DstNat) });
        client.Commit(staged);
        Assert.Equal([4, 4, 3, 3], kernel.SentBatches.Select(b => b.Count));
    }

    [Fact]
    public void An_empty_transaction_sends_nothing()
    {
        var kernel = ScriptedTransport.AckEverything();
        using var client = NfTablesClient.Open(new NetlinkConnection(kernel));
        using var tx = new Transaction();
        client.Commit(tx);
        Assert.Empty(kernel.SentBatches);
    }
}
