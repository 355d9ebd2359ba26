namespace Netlink.NativeTests.Infrastructure;

/// <summary>
/// Removes from the real ipvsadm's listings the services the kernel sent twice. IPVS keeps every namespace's
/// services in one kernel-wide hash table and resumes a dump by counting through it, so when another namespace
/// (another test running in parallel) adds a service between two datagrams of ipvsadm's dump, the kernel repeats
/// entries it already sent; ipvsadm prints them again (seen in CI: <c>-A -f -1 -s wlc</c> twice in a table that
/// held it once). One namespace never holds two services with one key, so a service line seen before, with the
/// real-server lines under it, is such an echo. Only ipvsadm's output goes through this: ipvsctl drops echoes
/// itself, and its listings are compared as printed.
/// </summary>
public static class IpvsadmEchoes
{
    /// <summary>
    /// <paramref name="listing"/> (ipvsadm -S or -L output) without repeated service blocks. A block starts at a
    /// line that is neither indented (a -L real server) nor a -S real server (<c>-a</c>).
    /// </summary>
    public static string Collapse(string listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kept = new System.Text.StringBuilder(listing.Length);
        bool keeping = true;
        for (int start = 0; start < listing.Length;)
        {
            int newline = listing.IndexOf('\n', start);
            int end = newline < 0 ? listing.Length : newline;
            int next = newline < 0 ? listing.Length : newline + 1;
            string line = listing[start..end];
            if (line.Length > 0 && !char.IsWhiteSpace(line[0]) && !line.StartsWith("-a ", StringComparison.Ordinal))
            {
                keeping = seen.Add(line);
            }
            if (keeping)
            {
                kept.Append(listing, start, next - start);
            }
            start = next;
        }
        return kept.ToString();
    }
}
