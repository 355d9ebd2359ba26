using System.Collections;
using System.Net;
using System.Net.NetworkInformation;
using Netlink.Ipvs;
using ServiceProxy.Kernel;

namespace Ipvsctl.Declarative;

/// <summary>
/// What the declarative commands take from the machine: the IPVS socket, environment variables, interface
/// addresses, files, URLs and the clock. The defaults are the real ones; tests replace them.
/// </summary>
internal sealed class DeclarativeEnvironment
{
    public static DeclarativeEnvironment System { get; } = new();

    /// <summary>Opens IPVS, loading ip_vs once when the kernel lacks it (the service-proxy layer's opener).</summary>
    public Func<IpvsClient> OpenIpvs { get; init; } = () => IpvsOpener.Open();

    public Func<IEnumerable<KeyValuePair<string, string>>> EnvironmentVariables { get; init; } = ReadEnvironmentVariables;

    /// <summary>Each interface's name and addresses, in the order the kernel lists them.</summary>
    public Func<IEnumerable<(string Name, IReadOnlyList<IPAddress> Addresses)>> NetworkInterfaces { get; init; } = ReadNetworkInterfaces;

    public Func<string, string> ReadFile { get; init; } = File.ReadAllText;

    /// <summary>GETs a URL's body as text; throws <see cref="Parameters.UrlFetchException"/> when that fails.</summary>
    public Func<Uri, string> FetchUrl { get; init; } = Parameters.UrlFetcher.Fetch;

    public Action<TimeSpan> Sleep { get; init; } = Thread.Sleep;

    private static IEnumerable<KeyValuePair<string, string>> ReadEnvironmentVariables()
    {
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            yield return new KeyValuePair<string, string>((string)entry.Key, (string?)entry.Value ?? string.Empty);
        }
    }

    private static IEnumerable<(string, IReadOnlyList<IPAddress>)> ReadNetworkInterfaces()
    {
        foreach (NetworkInterface link in NetworkInterface.GetAllNetworkInterfaces())
        {
            var addresses = link.GetIPProperties().UnicastAddresses.Select(a => a.Address).ToList();
            yield return (link.Name, addresses);
        }
    }
}
