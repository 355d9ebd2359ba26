namespace Netlink.NativeTests.Ipvsd;

/// <summary>Model files for the daemon tests: the seed's ClusterIP-like service over three pods.</summary>
internal static class SeedServices
{
    public const string Vip = "198.18.97.97";

    public static string Web(params string[] pods) => WebWith(string.Empty, pods);

    /// <summary>The web service with more settings (<paramref name="extra"/>: YAML lines at the service's indentation).</summary>
    public static string WebWith(string extra, params string[] pods) =>
        "services:\n  - address: tcp://198.18.97.97:80\n    sched: rr\n" + extra + "    destinations:\n"
        + string.Concat(pods.Select(p => $"      - {{ address: {p}:80, forward: nat, weight: 1 }}\n"));

    public static readonly string[] ThreePods = ["198.19.1.2", "198.19.2.2", "198.19.3.2"];

    /// <summary>The rows of ipvsadm -Ln for the web service over <paramref name="pods"/>, as <see cref="Rows"/> gives them.</summary>
    public static string IpvsadmOf(params string[] pods) =>
        "TCP 198.18.97.97:80 rr\n" + string.Concat(pods.Select(p => $"-> {p}:80 Masq 1\n"));

    /// <summary>
    /// ipvsadm -Ln without its three header lines, each row's runs of spaces made one, and a real server's
    /// connection counts (which traffic moves) left out: what a test compares.
    /// </summary>
    public static string Rows(string listing) =>
        string.Concat(listing.Split('\n').Skip(3).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(t => string.Join(' ', t[0] == "->" ? t[..^2] : t) + "\n"));
}
