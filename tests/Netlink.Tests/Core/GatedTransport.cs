using Netlink.Testing;

namespace Netlink.Tests.Core;

/// <summary>
/// A <see cref="ScriptedTransport"/> whose next receive, once armed, stops until the test releases it: the operation
/// in progress is then certainly inside the connection while the test does something else, with no timing involved.
/// The waits have a long limit only so a broken test fails instead of hanging.
/// </summary>
public sealed class GatedTransport(ScriptedTransport inner) : INetlinkTransport
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly ManualResetEventSlim _blocked = new();
    private readonly ManualResetEventSlim _released = new();
    private int _armed;

    /// <summary>The scripted kernel behind the gate.</summary>
    public ScriptedTransport Inner => inner;

    /// <inheritdoc />
    public uint PortId => inner.PortId;

    /// <summary>Makes the next <see cref="Receive"/> stop at the gate.</summary>
    public void Arm() => Volatile.Write(ref _armed, 1);

    /// <summary>Waits until a receive has stopped at the gate.</summary>
    public void WaitUntilBlocked()
    {
        if (!_blocked.Wait(Limit))
        {
            throw new TimeoutException("no receive reached the gate");
        }
    }

    /// <summary>Lets the stopped receive go on.</summary>
    public void Release() => _released.Set();

    /// <inheritdoc />
    public void Send(ReadOnlySpan<byte> datagram) => inner.Send(datagram);

    /// <inheritdoc />
    public int Receive(NetlinkBuffer buffer)
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _blocked.Set();
            if (!_released.Wait(Limit))
            {
                throw new TimeoutException("the gate was never released");
            }
        }
        return inner.Receive(buffer);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        inner.Dispose();
        _blocked.Dispose();
        _released.Dispose();
    }
}
