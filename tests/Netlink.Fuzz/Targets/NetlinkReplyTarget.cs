namespace Netlink.Fuzz.Targets;

/// <summary>
/// Client operations fed a <see cref="ReplyScript"/> in place of the kernel's replies. The documented refusal of a
/// bad reply is a <see cref="NetlinkException"/> (a <see cref="NetlinkProtocolException"/> for a malformed one, a
/// timeout when the replies stop short); each operation runs on its own, so one refusal does not hide the rest.
/// </summary>
/// <param name="name">The target's name.</param>
/// <param name="description">What is fed where.</param>
/// <param name="operations">What a caller does with the connection, in the order the replies are consumed.</param>
public class NetlinkReplyTarget(string name, string description, params IReadOnlyList<Action<NetlinkConnection>> operations) : IFuzzTarget
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public string Description => description;

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
        foreach (Action<NetlinkConnection> operation in operations)
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

    /// <summary>A second connection on <paramref name="connection"/>'s transport, for a client to own: disposing the
    /// client must not close the transport the next operation reads from.</summary>
    protected internal static NetlinkConnection Sharing(NetlinkConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new NetlinkConnection(connection.Transport, ownsTransport: false);
    }
}
