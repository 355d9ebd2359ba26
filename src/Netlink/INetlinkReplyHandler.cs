namespace Netlink;

/// <summary>Receives the replies to a request or dump, one message at a time, as they arrive.</summary>
public interface INetlinkReplyHandler
{
    /// <summary>A reply message (never an ack, error or NLMSG_DONE; the connection handles those).</summary>
    void OnMessage(NetlinkMessage message);

    /// <summary>
    /// The dump was interrupted (NLM_F_DUMP_INTR: the table changed while it was read) and is starting over:
    /// forget every message seen so far.
    /// </summary>
    void OnDumpRestart();
}
