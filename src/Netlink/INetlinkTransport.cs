namespace Netlink;

/// <summary>
/// Moves datagrams between a <see cref="NetlinkConnection"/> and the kernel. <see cref="NetlinkSocket"/> is the
/// real one; tests implement this to stand in for the kernel.
/// </summary>
public interface INetlinkTransport : IDisposable
{
    /// <summary>The port id the kernel assigned (nl_pid), stamped on requests and expected on replies.</summary>
    uint PortId { get; }

    /// <summary>Sends one datagram, which may hold several messages. Throws <see cref="NetlinkException"/> on failure.</summary>
    void Send(ReadOnlySpan<byte> datagram);

    /// <summary>
    /// Receives one whole datagram into <paramref name="buffer"/>, growing it as needed, and returns its length.
    /// Throws <see cref="NetlinkException"/> on failure, with ETIMEDOUT when nothing arrived in time.
    /// </summary>
    int Receive(NetlinkBuffer buffer);
}
