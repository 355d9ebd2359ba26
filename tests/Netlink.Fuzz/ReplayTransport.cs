using Netlink.Testing;

namespace Netlink.Fuzz;

/// <summary>
/// A kernel that answers whatever the client sends with the next datagram of a <see cref="ReplyScript"/>, stamped
/// with the request's sequence number; when the script runs out it times out as a real socket would. Generic netlink
/// family lookups are answered by a <see cref="FakeIpvsKernel"/> instead, so scripts hold only the family's replies.
/// </summary>
public sealed class ReplayTransport : INetlinkTransport
{
    private const ushort GenericNetlinkController = 0x10;

    private readonly Queue<byte[]> _script;
    // Made at the first family lookup only: most targets never look one up, and a kernel per input costs executions
    private FakeIpvsSocket? _controller;
    private uint _sequence;
    private bool _controllerAnswers;

    /// <summary>A transport replaying <paramref name="input"/>.</summary>
    public ReplayTransport(ReadOnlySpan<byte> input) => _script = new Queue<byte[]>(ReplyScript.Split(input));

    /// <inheritdoc />
    public uint PortId => 0x4321;

    /// <inheritdoc />
    public void Send(ReadOnlySpan<byte> datagram)
    {
        List<SentMessage> messages = ScriptedTransport.Parse(datagram);
        if (messages.Count > 0 && messages[0].Type == GenericNetlinkController)
        {
            _controller ??= new FakeIpvsKernel().OpenSocket();
            _controller.Send(datagram);
            _controllerAnswers = true;
            return;
        }
        _sequence = messages.Count > 0 ? messages[^1].Sequence : _sequence;
    }

    /// <inheritdoc />
    public int Receive(NetlinkBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (_controllerAnswers && _controller is { Pending: > 0 })
        {
            return _controller.Receive(buffer);
        }
        _controllerAnswers = false;
        if (!_script.TryDequeue(out byte[]? datagram))
        {
            throw ScriptedTransport.Timeout();
        }
        ReplyScript.Stamp(datagram, _sequence, PortId);
        buffer.SetReceived(datagram);
        return datagram.Length;
    }

    /// <inheritdoc />
    public void Dispose() => _controller?.Dispose();
}
