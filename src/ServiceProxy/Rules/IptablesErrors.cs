using System.Globalization;
using System.Text.RegularExpressions;

namespace ServiceProxy.Rules;

/// <summary>Turns an iptables program's failure into a message that quotes it and says what to fix.</summary>
internal static partial class IptablesErrors
{
    public static IptablesException Failed(string program, IptablesFamily family, string? namespaceFile, int exitCode, string standardError, string? input, string chainPrefix = "IPVSD-")
    {
        // Parse errors read "iptables-restore v1.8.9 (nf_tables): REASON" then "Error occurred at line: N"; commit errors of
        // the nft variant put the reason on its own line ("line N: CHAIN_DEL failed (...): chain X"); the legacy variant
        // says "iptables-restore: line N failed". Keep every line that says something, without the program prefix.
        IEnumerable<string> said = standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Error occurred at line", StringComparison.Ordinal) && !l.StartsWith("Try `", StringComparison.Ordinal))
            .Select(l => ProgramPrefix().Replace(l, "").Trim())
            .Where(l => l.Length > 0);
        string reason = string.Join("; ", said);
        if (reason.Length == 0)
        {
            reason = "no error output";
        }
        string where = namespaceFile is null ? "" : $" in network namespace {namespaceFile}";
        string refused = "";
        Match at = ErrorLine().Match(standardError);
        if (at.Success && input is not null)
        {
            string digits = at.Groups.Values.Skip(1).First(g => g.Success).Value;
            int number = int.Parse(digits, CultureInfo.InvariantCulture);
            string[] inputLines = input.Split('\n');
            if (number >= 1 && number <= inputLines.Length)
            {
                refused = $"; it refused input line {number}: {inputLines[number - 1]}";
            }
        }
        string message = $"{program} ({family}){where} failed with exit code {exitCode}: {reason}{refused}. {Hint(standardError, family, chainPrefix)}";
        return new IptablesException(message, program, exitCode, standardError);
    }

    private static string Hint(string standardError, IptablesFamily family, string chainPrefix)
    {
        if (standardError.Contains("Permission denied", StringComparison.OrdinalIgnoreCase) || standardError.Contains("must be root", StringComparison.OrdinalIgnoreCase))
        {
            return "Run as root or with CAP_NET_ADMIN.";
        }
        if (standardError.Contains("Device or resource busy", StringComparison.Ordinal) || standardError.Contains("Too many links", StringComparison.Ordinal))
        {
            return $"A rule outside the {chainPrefix}* chains still jumps into one of them: delete that rule, then remove again.";
        }
        if (standardError.Contains("xtables lock", StringComparison.OrdinalIgnoreCase))
        {
            return "Another program held the xtables lock too long: find it (fuser /run/xtables.lock) or apply again.";
        }
        if (standardError.Contains("can't initialize", StringComparison.OrdinalIgnoreCase) || standardError.Contains("Table does not exist", StringComparison.OrdinalIgnoreCase))
        {
            string module = family == IptablesFamily.IPv6 ? "ip6table_nat" : "iptable_nat";
            return $"The kernel has no {family} nat table: modprobe {module}, or use the Nftables service rules backend.";
        }
        if (standardError.Contains("Couldn't load", StringComparison.OrdinalIgnoreCase) || standardError.Contains("not supported", StringComparison.OrdinalIgnoreCase))
        {
            return "The kernel lacks an iptables extension these rules use (xt_mark, xt_MARK, xt_MASQUERADE, xt_addrtype, xt_comment, xt_tcpudp, xt_sctp): load the module or use the Nftables backend.";
        }
        return "Check the rule set (virtual IPs, ports, cluster CIDRs) and the host's iptables, then apply again.";
    }

    [GeneratedRegex(@"Error occurred at line: (\d+)|^line (\d+):|: line (\d+) failed", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"^ip6?tables-restore( v[^:]*)?:")]
    private static partial Regex ProgramPrefix();
}
