using System.Globalization;
using System.Net;
using System.Text;
using Netlink.Ipvs;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>
/// A large model for the kill tests, in two versions, and the table each should leave in the kernel. Version 0: 10,000
/// TCP services with two masquerade real servers of weight 1. Version 1 changes most of them the ways a cluster does:
/// weights edited (i % 8 is 1 or 5), a real server replaced (2, 6), the service removed (3), and 500 services added;
/// the rest (0, 4, 7) stay. Going from one to the other is a sync of about 10,000 changes of every kind.
/// </summary>
internal static class ManyServices
{
    public const int Base = 10_000;
    public const int Added = 500;
    public const int All = Base + Added;

    public static string Vip(int i) => string.Create(CultureInfo.InvariantCulture, $"198.18.{i / 250}.{(i % 250) + 1}");

    public static VirtualServiceKey Key(int i) => VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse(Vip(i)), 80);

    /// <summary>Service <paramref name="i"/>'s real servers in <paramref name="version"/> ("198.19.0.1:8080 w1", sorted), or null when it has no such service.</summary>
    public static string? RealServers(int i, int version)
    {
        string Dest(int net, int weight) => string.Create(CultureInfo.InvariantCulture, $"198.19.{net}.{(i % 250) + 1}:8080 w{weight}");
        if (version == 0)
        {
            return i < Base ? Dest(0, 1) + "," + Dest(1, 1) : null;
        }
        return (i % 8) switch
        {
            _ when i >= Base => Dest(0, 1) + "," + Dest(1, 1),
            1 or 5 => Dest(0, 2) + "," + Dest(1, 3),
            2 or 6 => Dest(0, 1) + "," + Dest(2, 1),
            3 => null,
            _ => Dest(0, 1) + "," + Dest(1, 1),
        };
    }

    /// <summary>The services file of <paramref name="version"/>.</summary>
    public static string Yaml(int version)
    {
        var text = new StringBuilder("services:\n");
        for (int i = 0; i < All; i++)
        {
            if (RealServers(i, version) is not { } dests)
            {
                continue;
            }
            text.Append(CultureInfo.InvariantCulture, $"  - address: tcp://{Vip(i)}:80\n    destinations:\n");
            foreach (string dest in dests.Split(','))
            {
                string[] parts = dest.Split(" w");
                text.Append(CultureInfo.InvariantCulture, $"      - {{ address: {parts[0]}, forward: nat, weight: {parts[1]} }}\n");
            }
        }
        return text.ToString();
    }

    /// <summary>The whole table <paramref name="version"/> wants: "198.18.0.1:80" to its real servers as <see cref="RealServers"/> gives them.</summary>
    public static SortedDictionary<string, string> Desired(int version)
    {
        var table = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < All; i++)
        {
            if (RealServers(i, version) is { } dests)
            {
                table[$"{Vip(i)}:80"] = dests;
            }
        }
        return table;
    }

    /// <summary>A kernel table in the form of <see cref="Desired"/>; real servers not masquerading are marked so they never compare equal.</summary>
    public static SortedDictionary<string, string> Observed(IEnumerable<IpvsServiceEntry> table)
    {
        var observed = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (IpvsServiceEntry entry in table)
        {
            observed[$"{entry.Service.Key.Address}:{entry.Service.Key.Port}"] = Describe(entry.RealServers);
        }
        return observed;
    }

    /// <summary>What service <paramref name="i"/> looks like in the kernel now, in the form of <see cref="RealServers"/> (null: absent).</summary>
    public static string? Now(IpvsClient ipvs, int i) =>
        ipvs.GetService(Key(i)) is null ? null : Describe(ipvs.ListRealServers(Key(i)));

    private static string Describe(IEnumerable<ObservedRealServer> servers) =>
        string.Join(',', servers.Select(r => r.Settings)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Endpoint} w{s.Weight}{(s.Forwarding == ForwardingMethod.Masquerade ? "" : " " + s.Forwarding)}"))
            .Order(StringComparer.Ordinal));
}
