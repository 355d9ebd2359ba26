using System.Net.Sockets;
using System.Text;
using Netlink;

namespace ServiceProxy.Health;

/// <summary>
/// The HTTP half of <see cref="NetworkHealthProbe"/>: one GET on a connection of its own, judged by the status line
/// alone. Written by hand rather than through HttpClient, which would pool connections and read whole bodies: a check
/// must see a fresh connection each time and needs nothing past the first line.
/// </summary>
internal static class HttpStatusCheck
{
    /// <summary>Longer than any status line worth reading; a server that sends more without a line end is not HTTP.</summary>
    internal const int MaxStatusLine = 1024;

    /// <summary>"GET http://198.18.1.2:80/healthz": how a detail names the request.</summary>
    public static string Step(HealthTarget target) => $"GET http://{EndpointText.Format(target.Address, target.ProbePort)}{target.Check.Path}";

    /// <summary>The request: HTTP/1.1, Host naming the address and port probed, and Connection: close.</summary>
    public static byte[] Request(HealthTarget target) => Encoding.ASCII.GetBytes(
        $"GET {target.Check.Path} HTTP/1.1\r\nHost: {EndpointText.Format(target.Address, target.ProbePort)}\r\nConnection: close\r\nUser-Agent: ServiceProxy-health-check\r\nAccept: */*\r\n\r\n");

    /// <summary>Null when the path can go in a request line as it is; otherwise why not.</summary>
    public static string? PathProblem(string path) =>
        path.Length == 0 || path[0] != '/' ? $"path '{path}' does not start with '/'"
        : path.Any(c => c <= ' ' || c >= '\x7f') ? $"path '{path}' has a space, a control or a non-ASCII character: percent-encode it"
        : null;

    /// <summary>Sends the request on <paramref name="socket"/> (connected) and judges the status line it gets back.</summary>
    public static async Task<HealthProbeResult> ExchangeAsync(Socket socket, HealthTarget target, CancellationToken cancellationToken)
    {
        string step = Step(target);
        await socket.SendAsync(Request(target), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        byte[] buffer = new byte[MaxStatusLine];
        int filled = 0;
        int lineEnd;
        while ((lineEnd = buffer.AsSpan(0, filled).IndexOf((byte)'\n')) < 0)
        {
            if (filled == buffer.Length)
            {
                return HealthProbeResult.Fail($"{step}: no status line in the first {MaxStatusLine} bytes");
            }
            int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return HealthProbeResult.Fail(filled == 0 ? $"{step}: connection closed without an answer" : $"{step}: connection closed in the status line");
            }
            filled += read;
        }
        ReadOnlySpan<byte> line = buffer.AsSpan(0, lineEnd).TrimEnd((byte)'\r');
        if (!TryParseStatus(line, out int status))
        {
            return HealthProbeResult.Fail($"{step}: not an HTTP answer: '{Printable(line)}'");
        }
        return status == target.Check.Status
            ? HealthProbeResult.Pass($"{step}: HTTP {status}")
            : HealthProbeResult.Fail($"{step}: HTTP {status}, want {target.Check.Status}");
    }

    /// <summary>Reads the status of "HTTP/1.1 200 OK" (RFC 9112 status-line: version, space, three digits, then a space or the end).</summary>
    public static bool TryParseStatus(ReadOnlySpan<byte> line, out int status)
    {
        status = 0;
        if (!line.StartsWith("HTTP/"u8))
        {
            return false;
        }
        int space = line.IndexOf((byte)' ');
        if (space < 0 || line.Length < space + 4 || (line.Length > space + 4 && line[space + 4] != (byte)' '))
        {
            return false;
        }
        foreach (byte digit in line.Slice(space + 1, 3))
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
            status = status * 10 + digit - '0';
        }
        return status >= 100;
    }

    /// <summary>The start of what a server sent, safe to put in a log line.</summary>
    private static string Printable(ReadOnlySpan<byte> line)
    {
        const int Shown = 60;
        var text = new StringBuilder(Math.Min(line.Length, Shown) + 3);
        foreach (byte b in line[..Math.Min(line.Length, Shown)])
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '?');
        }
        return line.Length > Shown ? text.Append("...").ToString() : text.ToString();
    }
}
