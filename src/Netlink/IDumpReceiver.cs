namespace Netlink;

/// <summary>
/// Receives the items of a dump as they arrive, for callers that stream instead of collecting. When the kernel marks
/// the dump inconsistent (NLM_F_DUMP_INTR: the table changed while it was read) the connection dumps again from the
/// start and says so first, so a receiver that has already acted on items can undo or ignore them.
/// </summary>
/// <typeparam name="T">The item: a parsed value, or the raw <see cref="NetlinkMessage"/> itself.</typeparam>
public interface IDumpReceiver<in T>
    where T : allows ref struct
{
    /// <summary>One item of the dump (never an ack, error or NLMSG_DONE; the connection handles those).</summary>
    void OnItem(T item);

    /// <summary>
    /// The dump was interrupted (NLM_F_DUMP_INTR) and starts over: every item received so far is from an inconsistent
    /// read and will be sent again.
    /// </summary>
    void OnRestart();
}
