namespace Netlink;

public sealed partial class NetlinkConnection
{
    /// <summary>The managed thread id of the thread inside an operation, or 0 when none is.</summary>
    private int _user;

    /// <summary>
    /// Marks the start of an operation. Two at once would interleave their sequence numbers and share the receive
    /// buffer, mixing one caller's replies into the other's; a clear exception is better than that silent corruption,
    /// and one interlocked instruction is all it costs.
    /// </summary>
    private void Enter()
    {
        int me = Environment.CurrentManagedThreadId;
        int user = Interlocked.CompareExchange(ref _user, me, 0);
        if (user == 0)
        {
            return;
        }
        throw new InvalidOperationException(user == me
            ? "NetlinkConnection was used again from inside a reply callback, before the operation in progress ended; collect the dump first, then send the next request"
            : "NetlinkConnection is not thread-safe: it (or the client holding it) was used from two threads at once; use one client per thread or lock around it");
    }

    private void Leave() => Volatile.Write(ref _user, 0);
}
