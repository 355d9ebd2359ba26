using System.Globalization;
using System.Net;
using ServiceProxy.Model;

namespace Ipvsctl.Declarative.Parameters;

/// <summary>
/// Builds the <see cref="ParameterSet"/> the global --params-* options ask for, in aschmidt75/ipvsctl's order: the
/// host (interfaces and environment), then each --params-file, then each --params-url, first found winning.
/// </summary>
internal static class ParameterSources
{
    /// <exception cref="CommandFailedException">51 for an unreadable file, 30 for a malformed document, 50 for a network failure.</exception>
    public static ParameterSet Load(GlobalOptions options, DeclarativeEnvironment environment)
    {
        var parameters = new ParameterSet(Hint);
        var host = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.ParamsNetwork)
        {
            AddInterfaces(host, environment.NetworkInterfaces());
        }
        if (options.ParamsEnvironment)
        {
            foreach ((string name, string value) in environment.EnvironmentVariables())
            {
                host.TryAdd("env." + name, value);
            }
        }
        parameters.Add(host);
        foreach (string file in options.ParamsFiles)
        {
            string text;
            try
            {
                text = environment.ReadFile(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CommandFailedException(ExitCodes.FileError, $"cannot read parameter file {file}: {FileProblem.Describe(e)}: check the path and its permissions");
            }
            parameters.Add(Flatten(text, file));
        }
        foreach (string url in options.ParamsUrls)
        {
            // GlobalOptions.Parse has refused every other scheme; options made in code are held to the same
            if (!GlobalOptions.IsHttpUrl(url) || !Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
            {
                throw CommandFailedException.Usage($"--params-url {url} is not an http:// or https:// URL: give the document's http(s) address, or a local file with --params-file");
            }
            string text;
            try
            {
                text = environment.FetchUrl(uri);
            }
            catch (Exception e) when (e is UrlFetchException or IOException)
            {
                throw new CommandFailedException(ExitCodes.NetworkError, $"cannot fetch parameters from {url}: {FileProblem.Describe(e)}: check the URL and that the server answers");
            }
            parameters.Add(Flatten(text, url));
        }
        return parameters;
    }

    /// <summary>host.IFACE is the interface's first address, host.IFACE_N its N-th from 0 (IPv6 without a zone).</summary>
    internal static void AddInterfaces(Dictionary<string, string> values, IEnumerable<(string Name, IReadOnlyList<IPAddress> Addresses)> interfaces)
    {
        foreach ((string name, IReadOnlyList<IPAddress> addresses) in interfaces)
        {
            for (int i = 0; i < addresses.Count; i++)
            {
                IPAddress address = addresses[i];
                if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0)
                {
                    address = new IPAddress(address.GetAddressBytes());
                }
                string text = address.ToString();
                if (i == 0)
                {
                    values.TryAdd($"host.{name}", text);
                }
                values.TryAdd(string.Create(CultureInfo.InvariantCulture, $"host.{name}_{i}"), text);
            }
        }
    }

    private static Dictionary<string, string> Flatten(string text, string origin)
    {
        try
        {
            return ParameterDocument.Flatten(text, origin);
        }
        catch (ModelException e)
        {
            throw ModelLoader.Failed(e.Diagnostics);
        }
    }

    /// <summary>Where a missing parameter could come from, in ipvsctl's options.</summary>
    internal static string Hint(string name)
    {
        if (name.StartsWith("env.", StringComparison.Ordinal))
        {
            return $"set the environment variable {name[4..]} and pass --params-env";
        }
        if (name.StartsWith("host.", StringComparison.Ordinal))
        {
            return "pass --params-network and check the interface name (host.IFACE, or host.IFACE_N for its N-th address from 0)";
        }
        return $"define key {name} in a --params-file or --params-url document";
    }
}
