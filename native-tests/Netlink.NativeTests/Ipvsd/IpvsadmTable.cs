using System.Text;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>
/// The rows of ipvsadm -Ln (as <see cref="SeedServices.Rows"/> gives them) grouped by service, so tables can be
/// compared whatever order the kernel lists services and real servers in: "TCP 198.18.60.1:80 rr" to its
/// "-> 198.19.60.1:80 Masq 1" rows.
/// </summary>
internal static class IpvsadmTable
{
    public static SortedDictionary<string, SortedSet<string>> Parse(string rows)
    {
        var table = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        SortedSet<string>? current = null;
        foreach (string row in rows.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (row.StartsWith("->", StringComparison.Ordinal))
            {
                current?.Add(row);
                continue;
            }
            current = new SortedSet<string>(StringComparer.Ordinal);
            table[row] = current;
        }
        return table;
    }

    /// <summary>The services whose "address:port" <paramref name="include"/> accepts, one block each, in order: a text to compare and print.</summary>
    public static string Render(SortedDictionary<string, SortedSet<string>> table, Func<string, bool> include)
    {
        var text = new StringBuilder();
        foreach ((string service, SortedSet<string> servers) in table)
        {
            if (!include(service.Split(' ')[1]))
            {
                continue;
            }
            text.Append(service).Append('\n');
            foreach (string server in servers)
            {
                text.Append("  ").Append(server).Append('\n');
            }
        }
        return text.ToString();
    }
}
