namespace Netlink.Fuzz.Targets;

/// <summary>
/// A client operation fed a <see cref="ReplyScript"/> in place of the kernel's replies. The documented refusal of a
/// bad reply is a <see cref="NetlinkException"/> (a <see cref="NetlinkProtocolException"/> for a malformed one, a
/// timeout when the replies stop short); each operation runs on its own, so one refusal does not hide the rest.
/// </summary>
public abstract class NetlinkReplyTarget : IFuzzTarget
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public void Run(ReadOnlySpan<byte> input)
    {
        using var connection = new NetlinkConnection(new ReplayTransport(input));
        Perform(connection);
    }

    /// <summary>Every operation on <paramref name="connection"/>, each refusal caught; the seed recorder runs this
    /// against a real kernel.</summary>
    public void Perform(NetlinkConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        foreach (Action<NetlinkConnection> operation in Operations)
        {
            try
            {
                operation(connection);
            }
            catch (NetlinkException)
            {
            }
        }
    }

    /// <summary>What a caller does with the connection, in the order the replies are consumed.</summary>
    protected abstract IReadOnlyList<Action<NetlinkConnection>> Operations { get; }
}
