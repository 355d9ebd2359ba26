namespace Netlink.NativeTests.Ipvsd;

/// <summary>Model files for the daemon tests: the seed's ClusterIP-like service over three pods.</summary>
internal static class SeedServices
{
    public const string Vip = "198.18.97.97";

    public static string Web(params string[] pods) =>
        "services:\n  - address: tcp://198.18.97.97:80\n    sched: rr\n    destinations:\n"
        + string.Concat(pods.Select(p => $"      - {{ address: {p}:80, forward: nat, weight: 1 }}\n"));

    public static readonly string[] ThreePods = ["198.19.1.2", "198.19.2.2", "198.19.3.2"];

    public static string IpvsadmOf(params string[] pods) =>
        "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\nTCP  198.18.97.97:80 rr\n"
        + string.Concat(pods.Select(p => $"  -> {p + ":80",-28}Masq    1      0          0         \n"));
}
