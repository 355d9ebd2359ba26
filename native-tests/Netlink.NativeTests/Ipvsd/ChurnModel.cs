using System.Globalization;
using System.Text;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>
/// The soak test's model: up to 60 services, one model file each (svc-K.yaml, 198.18.70.K+1:80), each with one to eight
/// masquerade real servers (198.19.70+D.K+1:8080). <see cref="Change"/> makes one random change of the kinds a cluster
/// makes: a service added or removed, a real server added, removed or re-weighted.
/// </summary>
internal sealed class ChurnModel
{
    private const int MaxServices = 60;
    private const int MaxServers = 8;
    private readonly Random _random;
    private readonly SortedDictionary<int, SortedDictionary<int, int>> _services = [];

    /// <summary>Thirty services of three real servers each.</summary>
    public ChurnModel(Random random)
    {
        _random = random;
        for (int k = 0; k < 30; k++)
        {
            _services[k] = new SortedDictionary<int, int> { [0] = 1, [1] = 2, [2] = 3 };
        }
    }

    public IEnumerable<int> Services => _services.Keys;

    public static string File(int k) => string.Create(CultureInfo.InvariantCulture, $"svc-{k}.yaml");

    /// <summary>Service <paramref name="k"/>'s model file.</summary>
    public string Yaml(int k)
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"services:\n  - address: tcp://198.18.70.{k + 1}:80\n    sched: rr\n    destinations:\n"));
        foreach ((int d, int weight) in _services[k])
        {
            text.Append(CultureInfo.InvariantCulture, $"      - {{ address: 198.19.{70 + d}.{k + 1}:8080, forward: nat, weight: {weight} }}\n");
        }
        return text.ToString();
    }

    /// <summary>One random change; returns the service whose file changed, and whether the service (so its file) is gone.</summary>
    public (int Service, bool Removed) Change()
    {
        int k = _services.Keys.ElementAt(_random.Next(_services.Count));
        SortedDictionary<int, int> servers = _services[k];
        switch (_random.Next(6))
        {
            case 0 when _services.Count < MaxServices:
                int added = Enumerable.Range(0, MaxServices).Where(i => !_services.ContainsKey(i)).ElementAt(_random.Next(MaxServices - _services.Count));
                _services[added] = new SortedDictionary<int, int> { [_random.Next(MaxServers)] = _random.Next(1, 10) };
                return (added, false);
            case 1 when _services.Count > 10:
                _services.Remove(k);
                return (k, true);
            case 2 when servers.Count < MaxServers:
                int d = Enumerable.Range(0, MaxServers).Where(i => !servers.ContainsKey(i)).ElementAt(_random.Next(MaxServers - servers.Count));
                servers[d] = _random.Next(1, 10);
                return (k, false);
            case 3 when servers.Count > 1:
                servers.Remove(servers.Keys.ElementAt(_random.Next(servers.Count)));
                return (k, false);
            default:
                int reweighted = servers.Keys.ElementAt(_random.Next(servers.Count));
                servers[reweighted] = (servers[reweighted] % 9) + 1; // always a different weight, so always a change
                return (k, false);
        }
    }

    /// <summary>The whole table as <see cref="IpvsadmTable.Render"/> shows it.</summary>
    public string Rows()
    {
        var table = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach ((int k, SortedDictionary<int, int> servers) in _services)
        {
            table[string.Create(CultureInfo.InvariantCulture, $"TCP 198.18.70.{k + 1}:80 rr")] = new SortedSet<string>(
                servers.Select(s => string.Create(CultureInfo.InvariantCulture, $"-> 198.19.{70 + s.Key}.{k + 1}:8080 Masq {s.Value}")), StringComparer.Ordinal);
        }
        return IpvsadmTable.Render(table, _ => true);
    }
}
