using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Netlink.NativeTests.Infrastructure;

/// <summary>
/// An established TCP connection from the client to a pod's /cgi-bin/hold, which answers with the pod's name and
/// then keeps the connection busy: what a drain has to wait for. Dispose resets it (SO_LINGER 0), so IPVS sees it
/// end at once (state CLOSE) rather than lingering in FIN_WAIT or TIME_WAIT for minutes.
/// </summary>
public sealed class HeldConnection : IDisposable
{
    private readonly Socket _socket;

    private HeldConnection(Socket socket, string pod)
    {
        _socket = socket;
        Pod = pod;
    }

    /// <summary>The name of the pod that answered.</summary>
    public string Pod { get; }

    /// <summary>The client's end, as IPVS's connection table shows it.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Connects from <paramref name="client"/> and returns once the answering pod has named itself.</summary>
    public static HeldConnection Open(TestNamespace client, IPAddress address, int port, TimeSpan timeout)
    {
        Socket socket = client.Namespace.RunInside(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        try
        {
            socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            socket.SendTimeout = (int)timeout.TotalMilliseconds;
            socket.Connect(new IPEndPoint(address, port));
            socket.Send(Encoding.ASCII.GetBytes($"GET /cgi-bin/hold HTTP/1.0\r\nHost: {address}\r\n\r\n"));
            return new HeldConnection(socket, ReadPodName(socket, $"{address}:{port}"));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether the connection is still up: neither end closed nor reset it (nothing unread waits either).</summary>
    public bool IsOpen => !(_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0) && !_socket.Poll(0, SelectMode.SelectError);

    /// <summary>Resets the connection.</summary>
    public void Dispose()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Dispose();
    }

    private static string ReadPodName(Socket socket, string target)
    {
        var received = new StringBuilder();
        var buffer = new byte[512];
        while (true)
        {
            string text = received.ToString();
            int body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            int end = body < 0 ? -1 : text.IndexOf('\n', body + 4);
            if (end >= 0)
            {
                if (!text.StartsWith("HTTP/1.0 200 ", StringComparison.Ordinal) && !text.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"GET /cgi-bin/hold from {target} failed: {text}");
                }
                return text[(body + 4)..end];
            }
            int read = socket.Receive(buffer);
            if (read == 0)
            {
                throw new InvalidOperationException($"GET /cgi-bin/hold from {target} closed before the pod named itself; received: {text}");
            }
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }
}
