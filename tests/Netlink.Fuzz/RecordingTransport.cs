using Netlink.Testing;

namespace Netlink.Fuzz;

/// <summary>Passes everything to a real (or fake) kernel and keeps the datagrams it answered with, family lookups aside.</summary>
public sealed class RecordingTransport(INetlinkTransport inner) : INetlinkTransport
{
    private bool _lookingUpFamily;

    /// <summary>The datagrams received, in order.</summary>
    public List<byte[]> Received { get; } = [];

    /// <inheritdoc />
    public uint PortId => inner.PortId;

    /// <inheritdoc />
    public void Send(ReadOnlySpan<byte> datagram)
    {
        List<SentMessage> messages = ScriptedTransport.Parse(datagram);
        _lookingUpFamily = messages.Count > 0 && messages[0].Type == Generic.GenericNetlinkResolver.ControllerId;
        inner.Send(datagram);
    }

    /// <inheritdoc />
    public int Receive(NetlinkBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        int length = inner.Receive(buffer);
        if (!_lookingUpFamily)
        {
            Received.Add(buffer.WrittenSpan[..length].ToArray());
        }
        return length;
    }

    /// <inheritdoc />
    public void Dispose() => inner.Dispose();
}
