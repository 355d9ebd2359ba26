namespace Netlink;

public sealed partial class NetlinkConnection
{
    /// <summary>
    /// Sends the dump request in <paramref name="request"/> (NLM_F_DUMP is added), reads every reply to NLMSG_DONE and
    /// returns the values <paramref name="parse"/> makes of them, in order (messages it skips left out). If the kernel
    /// marks the dump inconsistent (NLM_F_DUMP_INTR), what was collected is thrown away and the dump runs again, a
    /// bounded number of times, so the list is always from one consistent read. Throws <see cref="NetlinkException"/>
    /// naming <paramref name="operation"/> and <paramref name="target"/> if the kernel refuses, or with EAGAIN if the
    /// table kept changing.
    /// </summary>
    public List<T> Dump<T>(NetlinkBuffer request, NetlinkMessageParser<T> parse, string operation, object? target = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var collector = new ListCollector<T>(parse);
        Dump(request, collector, operation, target);
        return collector.Items;
    }

    /// <summary>
    /// Like <see cref="Dump{T}(NetlinkBuffer, NetlinkMessageParser{T}, string, object?)"/>, but hands each value to
    /// <paramref name="receiver"/> as its message arrives instead of collecting them. When the kernel interrupts the
    /// dump (NLM_F_DUMP_INTR), the receiver is told through <see cref="IDumpReceiver{T}.OnRestart"/> before the items
    /// of the next attempt arrive, since it has already seen items that will come again.
    /// </summary>
    public void Dump<T>(NetlinkBuffer request, NetlinkMessageParser<T> parse, IDumpReceiver<T> receiver, string operation, object? target = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(receiver);
        Dump(request, new ParsingReceiver<T>(parse, receiver), operation, target);
    }

    /// <summary>
    /// The raw form of the streaming dump: hands <paramref name="receiver"/> each reply message itself, valid only
    /// during the call, for callers that keep the bytes to decode elsewhere. Restarts as the typed form does.
    /// </summary>
    public void Dump(NetlinkBuffer request, IDumpReceiver<NetlinkMessage> receiver, string operation, object? target = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(receiver);
        Enter();
        try
        {
            DumpAlone(request, receiver, operation, target);
        }
        finally
        {
            Leave();
        }
    }

    private void DumpAlone(NetlinkBuffer request, IDumpReceiver<NetlinkMessage> receiver, string operation, object? target)
    {
        for (int attempt = 1; ; attempt++)
        {
            uint sequence = Stamp(request.Slice(0, request.Length), NetlinkMessageFlags.Dump, out int count);
            if (count != 1)
            {
                throw new ArgumentException($"Dump sends one message; the buffer holds {count}", nameof(request));
            }
            _errors.Clear();
            _transport.Send(request.WrittenSpan);
            ReceiveUntil(sequence, sequence, 0, receiver, isDump: true, out bool interrupted);
            if (_errors.Count > 0)
            {
                throw NetlinkException.Refused(_errors[0], operation, target?.ToString());
            }
            if (!interrupted)
            {
                return;
            }
            if (attempt == MaxDumpAttempts)
            {
                throw new NetlinkException(Errno.EAGAIN, operation, target?.ToString(), hint: $"the table kept changing during {MaxDumpAttempts} dumps in a row");
            }
            receiver.OnRestart();
        }
    }
}
