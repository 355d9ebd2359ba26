using System.Buffers.Binary;
using System.Reflection;
using Netlink.Testing;
using static Netlink.Testing.KernelReplies;
using static Netlink.Tests.Core.GenericTestMessages;

namespace Netlink.Tests.Core;

/// <summary><see cref="NetlinkConnection"/> against <see cref="ScriptedTransport"/>: acks, errors, batches, dumps.</summary>
public sealed class NetlinkConnectionTests
{
    private const uint Port = 0x0000_4321;

    /// <summary><paramref name="count"/> generic netlink requests; request i carries u32 attribute 1 = i, so the fake kernel can tell them apart.</summary>
    private static NetlinkBuffer Requests(int count, int extraBytes = 0)
    {
        var buffer = new NetlinkBuffer();
        var w = new NetlinkWriter(buffer);
        for (int i = 0; i < count; i++)
        {
            NetlinkMessageToken m = w.BeginMessage(Family, NetlinkMessageFlags.Create | NetlinkMessageFlags.Ack, 0);
            w.WriteGenericHeader(5, 1);
            w.WriteUInt32(1, (uint)i);
            if (extraBytes > 0)
            {
                w.WriteBytes(2, new byte[extraBytes]);
            }
            w.EndMessage(m);
        }
        return buffer;
    }

    private static int IndexOf(SentMessage m) => (int)BinaryPrimitives.ReadUInt32LittleEndian(m.Payload.AsSpan(8));

    /// <summary>A kernel that processes each request of a batch: an error where <paramref name="errnoAt"/> says, else an ack if asked.</summary>
    private static ScriptedTransport BatchKernel(Func<int, int> errnoAt, Func<int, string?>? extAck = null) => new(messages =>
    [
        Datagram([.. messages.Select(m =>
        {
            int errno = errnoAt(IndexOf(m));
            return errno != 0 ? Error(m, errno, extAck?.Invoke(IndexOf(m))) : m.Has(NetlinkMessageFlags.Ack) ? Ack(m) : [];
        })]),
    ]);

    private static (string, string?) Describe(int index) => ("add real server", $"#{index}");

    private sealed class Recorder : IDumpReceiver<NetlinkMessage>
    {
        public List<string> Events { get; } = [];

        public List<byte[]> Payloads { get; } = [];

        public void OnItem(NetlinkMessage item)
        {
            Events.Add($"msg {item.Type} seq {item.Sequence}");
            Payloads.Add(item.Payload.ToArray());
        }

        public void OnRestart()
        {
            Events.Add("restart");
            Payloads.Clear();
        }

        /// <summary>A parser that records every reply and skips it, so a query reads them all.</summary>
        public object? RecordAndSkip(NetlinkMessage message)
        {
            OnItem(message);
            return null;
        }
    }

    // ---- Execute ----

    [Fact]
    public void Execute_stamps_sequence_port_and_flags_and_returns_on_the_ack()
    {
        var transport = ScriptedTransport.AckEverything(Port);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Requests(1);
        connection.Execute(request, "add service", "TCP 198.18.0.1:80");
        connection.Execute(request, "add service", "TCP 198.18.0.1:80");

        Assert.Equal(2, transport.SentDatagrams.Count);
        SentMessage first = transport.SentBatches[0].Single();
        SentMessage second = transport.SentBatches[1].Single();
        Assert.Equal(NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create, first.Flags);
        Assert.Equal(Port, first.PortId);
        Assert.Equal(Family, first.Type);
        Assert.NotEqual(0u, first.Sequence);
        Assert.Equal(first.Sequence + 1, second.Sequence);
        Assert.Equal(0, transport.Pending);
    }

    [Fact]
    public void Execute_adds_the_request_flag_and_ack_even_when_the_writer_left_them_out()
    {
        var transport = ScriptedTransport.AckEverything();
        using var connection = new NetlinkConnection(transport);
        using var request = new NetlinkBuffer();
        var w = new NetlinkWriter(request);
        NetlinkMessageToken m = w.BeginMessage(Family, NetlinkMessageFlags.None, 12345, 999);
        w.WriteGenericHeader(1, 1);
        w.EndMessage(m);
        connection.Execute(request, "op", null);
        SentMessage sent = transport.SentMessages.Single();
        Assert.Equal(NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sent.Flags);
        Assert.Equal(transport.PortId, sent.PortId); // the writer's 999 is replaced
        Assert.NotEqual(12345u, sent.Sequence);
    }

    [Fact]
    public void Execute_error_carries_errno_operation_target_and_the_extended_ack()
    {
        var transport = new ScriptedTransport(m => [Error(m[0], Errno.EEXIST, "Service already exists", 36)]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Requests(1);
        NetlinkException e = Assert.Throws<NetlinkException>(() => connection.Execute(request, "add service", "TCP 198.18.0.1:80"));
        Assert.IsNotType<NetlinkBatchException>(e);
        Assert.Equal(Errno.EEXIST, e.ErrorNumber);
        Assert.Equal("EEXIST", e.ErrorName);
        Assert.Equal("add service", e.Operation);
        Assert.Equal("TCP 198.18.0.1:80", e.Target);
        Assert.Equal("Service already exists", e.KernelMessage);
        Assert.Equal(36, e.KernelOffset);
        Assert.Equal("add service TCP 198.18.0.1:80: File exists (EEXIST): Service already exists", e.Message);
    }

    [Fact]
    public void Execute_error_reads_the_extended_ack_after_an_uncapped_echo_of_the_request()
    {
        var transport = new ScriptedTransport(m => [Error(m[0], Errno.EINVAL, "Attribute failed policy validation", 20, capped: false)]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Requests(1, extraBytes: 5); // a request whose length is not a multiple of 4 before padding
        NetlinkException e = Assert.Throws<NetlinkException>(() => connection.Execute(request, "edit service", null));
        Assert.Equal(Errno.EINVAL, e.ErrorNumber);
        Assert.Equal("Attribute failed policy validation", e.KernelMessage);
        Assert.Equal(20, e.KernelOffset);
        Assert.Equal("edit service: Invalid argument (EINVAL): Attribute failed policy validation", e.Message);
    }

    [Theory]
    [InlineData(0x7fff_ffffu, 0)]   // 4 + echoed length overflowed int and sliced at a negative offset
    [InlineData(0xffff_ffffu, 0)]
    [InlineData(17u, 2)]            // the aligned TLV offset (24) lay past a 22-byte payload
    [InlineData(1000u, 8)]          // echoed length beyond the payload
    public void Execute_error_with_a_lying_echoed_length_is_still_a_clean_error(uint echoedLength, int tail)
    {
        var transport = new ScriptedTransport(m =>
        {
            // NLMSG_ERROR, not capped, NLM_F_ACK_TLVS: error, then an echoed header claiming echoedLength bytes.
            byte[] payload = [.. S32(-Errno.EINVAL), .. BitConverter.GetBytes(echoedLength), .. m[0].Raw.AsSpan(4, 12).ToArray(), .. new byte[tail]];
            return [Reply(m[0], NetlinkMessageType.Error, payload, NetlinkMessageFlags.AckTlvs)];
        });
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Requests(1);
        NetlinkException e = Assert.Throws<NetlinkException>(() => connection.Execute(request, "op", null));
        Assert.Equal(Errno.EINVAL, e.ErrorNumber);
        Assert.Null(e.KernelMessage);
    }

    [Fact]
    public void Execute_error_without_TLVs_has_no_kernel_message()
    {
        var transport = new ScriptedTransport(m => [Error(m[0], Errno.ESRCH)]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Requests(1);
        NetlinkException e = Assert.Throws<NetlinkException>(() => connection.Execute(request, "delete service", "UDP [2001:db8::1]:53"));
        Assert.Equal(Errno.ESRCH, e.ErrorNumber);
        Assert.Null(e.KernelMessage);
        Assert.Null(e.KernelOffset);
        Assert.Equal("delete service UDP [2001:db8::1]:53: No such process (ESRCH)", e.Message);
    }

    [Fact]
    public void Execute_ignores_a_warning_attached_to_a_successful_ack()
    {
        var transport = new ScriptedTransport(m =>
        {
            byte[] ack = Ack(m[0]);
            byte[] warning = Attr(NlmsgerrAttrMsg, "deprecated attribute\0"u8);
            byte[] withTlv = [.. ack, .. warning];
            BinaryPrimitives.WriteUInt32LittleEndian(withTlv, (uint)withTlv.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(withTlv.AsSpan(6), (ushort)(NetlinkMessageFlags.Capped | NetlinkMessageFlags.AckTlvs));
            return [withTlv];
        });
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Requests(1);
        connection.Execute(request, "op", null);
    }

    [Fact]
    public void Execute_passes_replies_to_the_handler_even_when_split_across_datagrams()
    {
        var transport = new ScriptedTransport(m =>
        [
            Reply(m[0], Family, GenericPayload(5, 1, AttrU32(1, 1))),
            Datagram(Reply(m[0], Family, GenericPayload(5, 1, AttrU32(1, 2))), Reply(m[0], NetlinkMessageType.Noop, [])),
            Ack(m[0]),
        ]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Requests(1);
        var recorder = new Recorder();
        Assert.Null(connection.Query(request, recorder.RecordAndSkip, "get service", null));
        Assert.Equal(2, recorder.Payloads.Count);
        Assert.Equal(3, transport.ReceiveCalls);
    }

    [Fact]
    public void Execute_ignores_stale_replies_with_other_sequence_numbers()
    {
        var transport = new ScriptedTransport(m =>
        {
            SentMessage r = m[0];
            SentMessage older = r with { Sequence = r.Sequence - 1 };
            SentMessage newer = r with { Sequence = r.Sequence + 7 };
            return
            [
                Datagram(Error(older, Errno.EEXIST), Reply(older, Family, [1, 2, 3, 4]), Done(older, -Errno.ENOMEM)),
                Datagram(Error(newer, Errno.EPERM), Message(NetlinkMessageType.Overrun, 0, 0, 0, [])),
                Datagram(Reply(r, Family, GenericPayload(5, 1)), Ack(r)),
            ];
        });
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Requests(1);
        var recorder = new Recorder();
        Assert.Null(connection.Query(request, recorder.RecordAndSkip, "op", null));
        Assert.Single(recorder.Payloads);
    }

    [Fact]
    public void Execute_times_out_with_ETIMEDOUT_when_the_kernel_never_answers()
    {
        using var connection = new NetlinkConnection(new ScriptedTransport());
        using NetlinkBuffer request = Requests(1);
        NetlinkException e = Assert.Throws<NetlinkException>(() => connection.Execute(request, "op", null));
        Assert.Equal(Errno.ETIMEDOUT, e.ErrorNumber);
    }

    [Fact]
    public void Execute_refuses_a_buffer_with_two_messages()
    {
        var transport = ScriptedTransport.AckEverything();
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Requests(2);
        Assert.Throws<ArgumentException>(() => connection.Execute(request, "op", null));
        Assert.Empty(transport.SentDatagrams);
    }

    [Fact]
    public void Overrun_for_the_request_is_ENOBUFS()
    {
        var transport = new ScriptedTransport(m => [Reply(m[0], NetlinkMessageType.Overrun, [])]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Requests(1);
        NetlinkException e = Assert.Throws<NetlinkException>(() => connection.Execute(request, "op", null));
        Assert.Equal(Errno.ENOBUFS, e.ErrorNumber);
    }

    [Fact]
    public void A_malformed_reply_is_a_protocol_exception()
    {
        var transport = new ScriptedTransport(m => [[.. Ack(m[0]), 0xff, 0xff]]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Requests(1);
        // The ack comes first and ends the wait; the trailing garbage is never reached. A truncated ack is caught.
        connection.Execute(request, "op", null);
        var truncated = new ScriptedTransport(m => [Reply(m[0], NetlinkMessageType.Error, [0, 0])]);
        using var second = new NetlinkConnection(truncated);
        Assert.Throws<NetlinkProtocolException>(() => second.Execute(request, "op", null));
    }

    [Fact]
    public void Transport_failures_propagate_and_dispose_follows_ownership()
    {
        var transport = new ScriptedTransport();
        transport.EnqueueFailure(new NetlinkException(Errno.ENOBUFS, "receive from kernel", null));
        using (var connection = new NetlinkConnection(transport, ownsTransport: false))
        {
            using NetlinkBuffer request = Requests(1);
            Assert.Equal(Errno.ENOBUFS, Assert.Throws<NetlinkException>(() => connection.Execute(request, "op", null)).ErrorNumber);
        }
        Assert.False(transport.IsDisposed);
        new NetlinkConnection(transport).Dispose();
        Assert.True(transport.IsDisposed);
    }

    // ---- ExecuteBatch ----

    [Fact]
    public void Batch_is_chunked_by_request_count_with_an_ack_only_on_the_last_of_each_send()
    {
        ScriptedTransport transport = BatchKernel(_ => 0);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer requests = Requests(10);
        int done = connection.ExecuteBatch(requests, Describe, new NetlinkBatchOptions { MaxRequestsPerSend = 4 });
        Assert.Equal(10, done);
        Assert.Equal([4, 4, 2], transport.SentBatches.Select(b => b.Count));
        foreach (IReadOnlyList<SentMessage> batch in transport.SentBatches)
        {
            Assert.All(batch.SkipLast(1), m => Assert.Equal(NetlinkMessageFlags.Request | NetlinkMessageFlags.Create, m.Flags));
            Assert.Equal(NetlinkMessageFlags.Request | NetlinkMessageFlags.Create | NetlinkMessageFlags.Ack, batch[^1].Flags);
        }
        List<SentMessage> all = [.. transport.SentMessages];
        Assert.Equal(Enumerable.Range(0, 10), all.Select(IndexOf));
        Assert.All(all, m => Assert.Equal(Port, m.PortId));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => all[0].Sequence + (uint)i), all.Select(m => m.Sequence));
    }

    [Fact]
    public void Batch_is_chunked_by_bytes_but_always_sends_at_least_one_request()
    {
        ScriptedTransport transport = BatchKernel(_ => 0);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer requests = Requests(7); // 28 bytes each
        connection.ExecuteBatch(requests, Describe, new NetlinkBatchOptions { MaxBytesPerSend = 100 });
        Assert.Equal([3, 3, 1], transport.SentBatches.Select(b => b.Count));
        Assert.All(transport.SentDatagrams, d => Assert.True(d.Length <= 100));

        ScriptedTransport tiny = BatchKernel(_ => 0);
        using var second = new NetlinkConnection(tiny);
        second.ExecuteBatch(requests, Describe, new NetlinkBatchOptions { MaxBytesPerSend = 10 });
        Assert.Equal(7, tiny.SentBatches.Count);
    }

    [Fact]
    public void Batch_can_ask_for_an_ack_on_every_request()
    {
        ScriptedTransport transport = BatchKernel(_ => 0);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer requests = Requests(5);
        connection.ExecuteBatch(requests, Describe, new NetlinkBatchOptions { AcknowledgeEveryRequest = true, MaxRequestsPerSend = 3 });
        Assert.All(transport.SentMessages, m => Assert.True(m.Has(NetlinkMessageFlags.Ack)));
        Assert.Equal(0, transport.Pending);
    }

    [Fact]
    public void Batch_error_names_the_failed_request_through_the_describer_and_stops_later_sends()
    {
        ScriptedTransport transport = BatchKernel(i => i == 5 ? Errno.EEXIST : 0, i => $"request {i} exists");
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer requests = Requests(12);
        var described = new List<int>();
        NetlinkBatchException e = Assert.Throws<NetlinkBatchException>(() => connection.ExecuteBatch(requests, i =>
        {
            described.Add(i);
            return ("add real server", $"198.18.1.{i}:80 to TCP 198.18.0.1:80");
        }, new NetlinkBatchOptions { MaxRequestsPerSend = 4 }));
        Assert.Equal([5], described);
        Assert.Equal(5, e.FailedIndex);
        Assert.Equal(8, e.CompletedRequests);
        Assert.Equal(2, transport.SentBatches.Count); // the third send never went out
        Assert.Equal(Errno.EEXIST, e.ErrorNumber);
        Assert.Equal("add real server", e.Operation);
        Assert.Equal("198.18.1.5:80 to TCP 198.18.0.1:80", e.Target);
        Assert.Equal("request 5 exists", e.KernelMessage);
        Assert.Equal(new NetlinkOperationError(5, Errno.EEXIST, "request 5 exists", null), Assert.Single(e.Errors));
        Assert.StartsWith("add real server 198.18.1.5:80 to TCP 198.18.0.1:80: File exists (EEXIST)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_lists_every_error_including_one_on_the_last_request_of_a_send()
    {
        ScriptedTransport transport = BatchKernel(i => i switch { 1 => Errno.EEXIST, 2 => Errno.EINVAL, 3 => Errno.ENOENT, _ => 0 });
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer requests = Requests(6);
        NetlinkBatchException e = Assert.Throws<NetlinkBatchException>(() => connection.ExecuteBatch(requests, Describe, new NetlinkBatchOptions { MaxRequestsPerSend = 4 }));
        Assert.Equal([(1, Errno.EEXIST), (2, Errno.EINVAL), (3, Errno.ENOENT)], e.Errors.Select(x => (x.Index, x.ErrorNumber)));
        Assert.Equal(1, e.FailedIndex);
        Assert.Equal("#1", e.Target);
        Assert.Contains("2 more request(s) of the batch failed too", e.Message, StringComparison.Ordinal);
        Assert.Single(transport.SentBatches);
        Assert.Equal(4, e.CompletedRequests);
    }

    [Fact]
    public void Batch_without_StopAtFirstError_sends_everything_and_reports_all_failures()
    {
        ScriptedTransport transport = BatchKernel(i => i is 0 or 9 ? Errno.EBUSY : 0);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer requests = Requests(10);
        NetlinkBatchException e = Assert.Throws<NetlinkBatchException>(() => connection.ExecuteBatch(requests, Describe,
            new NetlinkBatchOptions { MaxRequestsPerSend = 3, StopAtFirstError = false }));
        Assert.Equal(4, transport.SentBatches.Count);
        Assert.Equal([0, 9], e.Errors.Select(x => x.Index));
        Assert.Equal(10, e.CompletedRequests);
        Assert.Equal(0, e.FailedIndex);
    }

    [Fact]
    public void Batch_with_one_request_per_send_stops_exactly_at_the_failure()
    {
        ScriptedTransport transport = BatchKernel(i => i == 2 ? Errno.ENOENT : 0);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer requests = Requests(5);
        NetlinkBatchException e = Assert.Throws<NetlinkBatchException>(() => connection.ExecuteBatch(requests, Describe, new NetlinkBatchOptions { MaxRequestsPerSend = 1 }));
        Assert.Equal(3, transport.SentBatches.Count);
        Assert.Equal(3, e.CompletedRequests);
        Assert.Equal(2, e.FailedIndex);
    }

    [Fact]
    public void Batch_ignores_stale_acks_and_passes_replies_to_the_handler()
    {
        var transport = new ScriptedTransport(messages =>
        {
            SentMessage last = messages[^1];
            return
            [
                Ack(last with { Sequence = messages[0].Sequence - 1 }),                 // a late ack for an older request
                Datagram(Reply(messages[0], Family, GenericPayload(9, 1)), Ack(last)),
            ];
        });
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer requests = Requests(3);
        var recorder = new Recorder();
        Assert.Equal(3, connection.ExecuteBatch(requests, Describe, onReply: recorder.OnItem));
        Assert.Single(recorder.Payloads);
    }

    [Fact]
    public void Batch_sequence_numbers_stay_contiguous_across_the_32_bit_wrap()
    {
        ScriptedTransport transport = BatchKernel(i => i == 3 ? Errno.EEXIST : 0);
        using var connection = new NetlinkConnection(transport);
        // Start two short of the wrap (the first number comes from the uptime clock, so any value can occur).
        typeof(NetlinkConnection).GetField("_sequence", BindingFlags.NonPublic | BindingFlags.Instance)!.SetValue(connection, 0xFFFF_FFFEu);
        using NetlinkBuffer requests = Requests(5);
        NetlinkBatchException e = Assert.Throws<NetlinkBatchException>(() => connection.ExecuteBatch(requests, Describe));
        Assert.Equal(3, e.FailedIndex);
        List<SentMessage> sent = [.. transport.SentMessages];
        Assert.DoesNotContain(sent, m => m.Sequence == 0);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => sent[0].Sequence + (uint)i), sent.Select(m => m.Sequence));
    }

    // ---- Dump ----

    private static uint ValueOf(byte[] payload) => BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(8));

    [Fact]
    public void Dump_streams_every_message_across_datagrams_until_DONE()
    {
        var transport = new ScriptedTransport(m =>
        [
            Datagram(Entry(m[0], 1), Entry(m[0], 2)),
            Datagram(Entry(m[0], 3)),
            Datagram(Entry(m[0], 4), Done(m[0])),
        ]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Request();
        var recorder = new Recorder();
        connection.Dump(request, recorder, "list services");
        Assert.Equal([1u, 2u, 3u, 4u], recorder.Payloads.Select(ValueOf));
        SentMessage sent = transport.SentMessages.Single();
        Assert.Equal(NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, sent.Flags); // no NLM_F_ACK
        Assert.Equal(Port, sent.PortId);
        Assert.Equal(0, transport.Pending);
    }

    [Fact]
    public void Dump_of_an_empty_table_is_just_DONE()
    {
        var transport = new ScriptedTransport(m => [Done(m[0])]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Request();
        var recorder = new Recorder();
        connection.Dump(request, recorder, "list");
        Assert.Empty(recorder.Events);
    }

    [Fact]
    public void Dump_error_in_the_DONE_payload_is_thrown_with_its_extended_ack()
    {
        var transport = new ScriptedTransport(m => [Datagram(Entry(m[0], 1), Done(m[0], Errno.EMSGSIZE, "dump item too large for the buffer"))]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Request();
        NetlinkException e = Assert.Throws<NetlinkException>(() => connection.Dump(request, new Recorder(), "list services", "in namespace lb"));
        Assert.Equal(Errno.EMSGSIZE, e.ErrorNumber);
        Assert.Equal("list services", e.Operation);
        Assert.Equal("in namespace lb", e.Target);
        Assert.Equal("dump item too large for the buffer", e.KernelMessage);
    }

    [Fact]
    public void Dump_refused_at_the_start_is_thrown()
    {
        var transport = new ScriptedTransport(m => [Error(m[0], Errno.EPERM, "CAP_NET_ADMIN needed")]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Request();
        var recorder = new Recorder();
        NetlinkException e = Assert.Throws<NetlinkException>(() => connection.Dump(request, recorder, "list services"));
        Assert.Equal(Errno.EPERM, e.ErrorNumber);
        Assert.Equal("CAP_NET_ADMIN needed", e.KernelMessage);
        Assert.Empty(recorder.Events);
    }

    [Fact]
    public void Dump_interrupted_restarts_the_handler_and_dumps_again()
    {
        int attempt = 0;
        var transport = new ScriptedTransport(m => ++attempt == 1
            ? [Datagram(Entry(m[0], 1), Entry(m[0], 2, NetlinkMessageFlags.DumpInterrupted)), Done(m[0], extra: NetlinkMessageFlags.DumpInterrupted)]
            : [Datagram(Entry(m[0], 10), Entry(m[0], 20), Entry(m[0], 30), Done(m[0]))]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Request();
        var recorder = new Recorder();
        connection.Dump(request, recorder, "list services");
        Assert.Equal(2, transport.SentDatagrams.Count);
        Assert.Single(recorder.Events, "restart");
        Assert.Equal("restart", recorder.Events[2]);
        Assert.Equal([10u, 20u, 30u], recorder.Payloads.Select(ValueOf));
        List<SentMessage> sent = [.. transport.SentMessages];
        Assert.Equal(sent[0].Sequence + 1, sent[1].Sequence);
        Assert.All(sent, m => Assert.True(m.Has(NetlinkMessageFlags.Dump)));
    }

    [Fact]
    public void Dump_interrupted_only_on_DONE_still_restarts()
    {
        int attempt = 0;
        var transport = new ScriptedTransport(m => ++attempt == 1
            ? [Datagram(Entry(m[0], 1), Done(m[0], extra: NetlinkMessageFlags.DumpInterrupted))]
            : [Datagram(Entry(m[0], 2), Done(m[0]))]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Request();
        var recorder = new Recorder();
        connection.Dump(request, recorder, "list");
        Assert.Equal([2u], recorder.Payloads.Select(ValueOf));
    }

    [Fact]
    public void Dump_that_keeps_being_interrupted_gives_up_with_EAGAIN()
    {
        var transport = new ScriptedTransport(m => [Datagram(Entry(m[0], 1, NetlinkMessageFlags.DumpInterrupted), Done(m[0], extra: NetlinkMessageFlags.DumpInterrupted))]);
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Request();
        var recorder = new Recorder();
        NetlinkException e = Assert.Throws<NetlinkException>(() => connection.Dump(request, recorder, "list services"));
        Assert.Equal(Errno.EAGAIN, e.ErrorNumber);
        Assert.Equal("list services", e.Operation);
        Assert.Contains("kept changing", e.Message, StringComparison.Ordinal);
        Assert.Equal(8, transport.SentDatagrams.Count);
        Assert.Equal(7, recorder.Events.Count(x => x == "restart"));
    }

    [Fact]
    public void Dump_ignores_messages_with_foreign_sequence_numbers()
    {
        var transport = new ScriptedTransport(m =>
        {
            SentMessage stale = m[0] with { Sequence = m[0].Sequence - 3 };
            SentMessage future = m[0] with { Sequence = m[0].Sequence + 1 };
            return
            [
                Datagram(Entry(stale, 99), Done(stale), Error(stale, Errno.EEXIST)),
                Datagram(Entry(m[0], 1), Entry(future, 98, NetlinkMessageFlags.DumpInterrupted), Done(future, Errno.EIO)),
                Datagram(Entry(m[0], 2), Done(m[0])),
            ];
        });
        using var connection = new NetlinkConnection(transport);
        using NetlinkBuffer request = Request();
        var recorder = new Recorder();
        connection.Dump(request, recorder, "list");
        Assert.Equal([1u, 2u], recorder.Payloads.Select(ValueOf));
        Assert.Single(transport.SentDatagrams);
    }

    [Fact]
    public void Dump_overrun_is_ENOBUFS_and_a_missing_DONE_times_out()
    {
        var overrun = new ScriptedTransport(m => [Datagram(Entry(m[0], 1), Reply(m[0], NetlinkMessageType.Overrun, [], NetlinkMessageFlags.Multi))]);
        using (var connection = new NetlinkConnection(overrun))
        {
            using NetlinkBuffer request = Request();
            Assert.Equal(Errno.ENOBUFS, Assert.Throws<NetlinkException>(() => connection.Dump(request, new Recorder(), "list")).ErrorNumber);
        }
        var silent = new ScriptedTransport(m => [Datagram(Entry(m[0], 1))]);
        using (var connection = new NetlinkConnection(silent))
        {
            using NetlinkBuffer request = Request();
            Assert.Equal(Errno.ETIMEDOUT, Assert.Throws<NetlinkException>(() => connection.Dump(request, new Recorder(), "list")).ErrorNumber);
        }
    }

    [Fact]
    public void Dump_refuses_a_buffer_with_two_messages()
    {
        using var connection = new NetlinkConnection(new ScriptedTransport());
        using NetlinkBuffer requests = Requests(2);
        Assert.Throws<ArgumentException>(() => connection.Dump(requests, new Recorder(), "list"));
    }
}
