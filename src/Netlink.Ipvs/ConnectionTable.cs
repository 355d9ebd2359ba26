using System.Globalization;
using System.Net;

namespace Netlink.Ipvs;

/// <summary>
/// Reads the IPVS connection table from /proc/net/ip_vs_conn, which is the only interface the kernel offers for it
/// (netlink has no dump of connections). The file belongs to the network namespace of the reading thread.
/// </summary>
public static class ConnectionTable
{
    /// <summary>The file's path for the calling thread's network namespace.</summary>
    public const string ProcPath = "/proc/thread-self/net/ip_vs_conn";

    /// <summary>Reads every entry, in <paramref name="ns"/> if given.</summary>
    public static IReadOnlyList<IpvsConnection> Read(NetworkNamespace? ns = null)
    {
        string text = ns is null ? ReadFile() : ns.RunInside(ReadFile);
        return Parse(text);
    }

    private static string ReadFile()
    {
        try
        {
            return File.ReadAllText(ProcPath);
        }
        catch (FileNotFoundException)
        {
            throw new IpvsUnavailableException($"{ProcPath} does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            throw new IpvsUnavailableException($"{ProcPath} does not exist");
        }
    }

    /// <summary>
    /// Parses the file's text. IPv4 addresses are 8 hex digits, IPv6 ones are printed in full; ports are 4 hex
    /// digits; the header line is skipped. A line that does not parse gives <see cref="FormatException"/>.
    /// </summary>
    public static IReadOnlyList<IpvsConnection> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<IpvsConnection>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("Pro ", StringComparison.Ordinal))
            {
                continue;
            }
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 9)
            {
                throw new FormatException($"ip_vs_conn line has {f.Length} fields, expected at least 9: '{line}'");
            }
            entries.Add(new IpvsConnection(
                f[0],
                ParseAddress(f[1]), ParsePort(f[2]),
                ParseAddress(f[3]), ParsePort(f[4]),
                ParseAddress(f[5]), ParsePort(f[6]),
                f[7],
                uint.TryParse(f[8], NumberStyles.None, CultureInfo.InvariantCulture, out uint expires) ? expires : throw new FormatException($"'{f[8]}' is not a number of seconds"),
                f.Length > 9 ? f[9] : null,
                f.Length > 10 ? f[10] : null));
        }
        return entries;
    }

    private static IPAddress ParseAddress(string text)
    {
        if (text.Length == 8 && !text.Contains(':', StringComparison.Ordinal))
        {
            return uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value)
                ? Ipv4Number.ToAddress(value)
                : throw new FormatException($"'{text}' is not an address");
        }
        return IPAddress.TryParse(text, out IPAddress? address) ? address : throw new FormatException($"'{text}' is not an address");
    }

    // TryParse: a field too long for a port is the same malformed line as a field of no hex digits (found by fuzzing:
    // Parse threw OverflowException, which no caller expects).
    private static ushort ParsePort(string text) =>
        ushort.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort port) ? port : throw new FormatException($"'{text}' is not a port");
}
