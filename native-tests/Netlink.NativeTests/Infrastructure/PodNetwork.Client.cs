using System.Net;
using System.Net.Sockets;
using System.Text;
using CliWrap.Buffered;

namespace Netlink.NativeTests.Infrastructure;

/// <summary>What the client namespace does: HTTP requests, held connections, UDP exchanges.</summary>
public sealed partial class PodNetwork
{
    /// <summary>Fetches <paramref name="url"/> with curl from the client and returns the body; fails on any error.</summary>
    public string Get(string url, int timeoutSeconds = 10) => GetEach(url, 1, timeoutSeconds)[0];

    /// <summary>
    /// Fetches <paramref name="url"/> <paramref name="count"/> times with one curl (a process start costs a lot in the
    /// VM) and returns each body. busybox httpd closes every connection, so each fetch is a new connection, which is
    /// what a scheduler sees as a new client; a body holding a line break would break the count, and pods' do not.
    /// </summary>
    public IReadOnlyList<string> GetEach(string url, int count, int timeoutSeconds = 10)
    {
        string[] arguments = ["-sS", "--max-time", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-w", @"\n"];
        BufferedCommandResult result = Client.TryExec(null, "curl", [.. arguments, .. Enumerable.Repeat(url, count)]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"curl {url} x{count} from the client exited {result.ExitCode}: {result.StandardError.Trim()}; bodies: {result.StandardOutput}");
        }
        string[] bodies = result.StandardOutput.Split('\n')[..^1];
        Assert.True(bodies.Length == count, $"curl {url} x{count} gave {bodies.Length} bodies: {result.StandardOutput}");
        return bodies;
    }

    /// <summary>Opens a connection from the client to a pod's /cgi-bin/hold through <paramref name="address"/>, held until disposed.</summary>
    public HeldConnection Hold(IPAddress address, int port = 80) => HeldConnection.Open(Client, address, port, TimeSpan.FromSeconds(10));

    /// <summary>
    /// Sends <paramref name="payload"/> in one datagram from the client, from <paramref name="sourcePort"/> (0: any), and
    /// returns the answer ("POD PAYLOAD" from a pod's responder), or null when none came within the timeout. The same
    /// source port again is the same flow to conntrack, as a client that keeps its socket is.
    /// </summary>
    public string? ExchangeUdp(IPAddress address, int port, string payload, int sourcePort = 0, int timeoutMilliseconds = 3000) =>
        ExchangeUdpOnce(address, port, payload, sourcePort, timeoutMilliseconds);

    /// <summary>
    /// <see cref="ExchangeUdp"/> sent again, from the same source port (so the same flow), when no answer came: up to
    /// <paramref name="attempts"/> datagrams, as a UDP client such as a DNS resolver retries. For tests that check
    /// where a flow goes, not whether one datagram can be lost (once, in a CI run under load, the second datagram of
    /// a flow through the emulated VM got no answer within 3 s; the same test passed alone every time).
    /// </summary>
    public string? ExchangeUdpWithRetries(IPAddress address, int port, string payload, int sourcePort, int attempts = 3)
    {
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            if (ExchangeUdpOnce(address, port, payload, sourcePort, 3000) is { } answer)
            {
                return answer;
            }
        }
        return null;
    }

    private string? ExchangeUdpOnce(IPAddress address, int port, string payload, int sourcePort, int timeoutMilliseconds)
    {
        using Socket socket = Client.Namespace.RunInside(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(IPAddress.Any, sourcePort));
        socket.ReceiveTimeout = timeoutMilliseconds;
        socket.SendTo(Encoding.ASCII.GetBytes(payload), new IPEndPoint(address, port));
        var buffer = new byte[65536];
        try
        {
            return Encoding.ASCII.GetString(buffer, 0, socket.Receive(buffer));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return null;
        }
    }
}
