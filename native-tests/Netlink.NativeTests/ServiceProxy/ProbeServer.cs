using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Netlink;

namespace Netlink.NativeTests.ServiceProxy;

/// <summary>
/// A TCP listener inside a test's network namespace, for the health probe to check: its socket is opened on a thread
/// that entered the namespace (where it stays), so no other process is needed. It can be left silent (the kernel
/// still completes handshakes into its backlog) or answer every connection with a fixed reply once the request head
/// has arrived, keeping each request it read.
/// </summary>
internal sealed class ProbeServer : IDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private Task _answering = Task.CompletedTask;

    private ProbeServer(Socket listener)
    {
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    /// <summary>Where it listens (an ephemeral port on the address given).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The port, as a health target takes it.</summary>
    public ushort Port => (ushort)EndPoint.Port;

    /// <summary>The request heads read so far, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Listens on <paramref name="address"/> (which the namespace must have) at a free port, answering nothing yet.</summary>
    public static ProbeServer Listen(NetworkNamespace ns, IPAddress address)
    {
        Socket listener = ns.RunInside(() => new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        try
        {
            listener.Bind(new IPEndPoint(address, 0));
            listener.Listen();
            return new ProbeServer(listener);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>From now on, accepts each connection, reads its request head, sends <paramref name="reply"/> and closes.</summary>
    public void AnswerWith(string reply) => _answering = AnswerAsync(Encoding.ASCII.GetBytes(reply), _stop.Token);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        try
        {
            _answering.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped while accepting or answering: what Dispose asked for.
        }
        _stop.Dispose();
    }

    private async Task AnswerAsync(byte[] reply, CancellationToken cancellationToken)
    {
        while (true)
        {
            using Socket connection = await _listener.AcceptAsync(cancellationToken);
            var head = new StringBuilder();
            byte[] buffer = new byte[1024];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                int read = await connection.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    break;
                }
                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            _requests.Enqueue(head.ToString());
            await connection.SendAsync(reply, SocketFlags.None, cancellationToken);
            connection.Shutdown(SocketShutdown.Both);
        }
    }
}
