using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Netlink.NativeTests.Infrastructure;

/// <summary>
/// Answers every UDP datagram on a port with "NAME PAYLOAD", from a socket made inside a namespace and served by a
/// thread of the test process: no program to start, which costs seconds under the VM's emulation.
/// </summary>
internal sealed class UdpResponder : IDisposable
{
    private readonly Socket _socket;
    private readonly Thread _thread;
    private readonly byte[] _name;

    public UdpResponder(NetworkNamespace ns, int port, string name)
    {
        _name = Encoding.ASCII.GetBytes(name + " ");
        // A socket belongs to the namespace it was made in, whichever thread uses it afterwards.
        _socket = ns.RunInside(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        _socket.Bind(new IPEndPoint(IPAddress.Any, port));
        _thread = new Thread(Serve) { IsBackground = true, Name = $"udp {name}:{port}" };
        _thread.Start();
    }

    public void Dispose()
    {
        _socket.Dispose();
        _thread.Join(TimeSpan.FromSeconds(10));
    }

    private void Serve()
    {
        var buffer = new byte[65536];
        EndPoint peer = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (true)
            {
                int read = _socket.ReceiveFrom(buffer, ref peer);
                _socket.SendTo([.. _name, .. buffer.AsSpan(0, read)], peer);
            }
        }
        catch (SocketException)
        {
            // Closed by Dispose: the socket's end is the thread's end.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
