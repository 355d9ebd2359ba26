using System.Globalization;
using System.Net.Sockets;

namespace ServiceProxy.Health;

/// <summary>The pieces of probe details, worded one way for every probe.</summary>
internal static class ProbeText
{
    /// <summary>"2s", "1.5s", "0.25s".</summary>
    public static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

    /// <summary>The system's words for a socket error, in lower case to sit after a colon: "connection refused".</summary>
    public static string Describe(SocketException e)
    {
        string message = e.Message;
        return message.Length == 0 ? e.SocketErrorCode.ToString() : char.ToLowerInvariant(message[0]) + message[1..];
    }
}
