using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ServiceProxy.Model;
using ServiceProxy.Rules;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ipvsd.Configuration;

/// <summary>
/// Reads ipvsd.yaml with YamlDotNet's representation model (no reflection: NativeAOT-safe), checks every value, and
/// reports every problem with its file, line and column.
/// </summary>
internal sealed partial class ConfigReader
{
    private static readonly string[] Keys =
    [
        "services", "interface", "rules", "masquerade-all", "cluster-cidrs", "masquerade-mark", "sync-period",
        "min-sync-period", "drain-timeout", "metrics-address", "health-address", "state-directory", "kubernetes",
    ];

    private readonly string _path;
    private readonly List<ConfigProblem> _problems = [];

    private ConfigReader(string path) => _path = path;

    /// <summary>Reads the file at <paramref name="path"/>; null with <paramref name="problems"/> when anything is wrong.</summary>
    public static DaemonConfig? Read(string path, out IReadOnlyList<ConfigProblem> problems)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems = [new ConfigProblem(path, 0, 0, $"cannot read the configuration: {e.Message}: pass its path with --config")];
            return null;
        }
        return Parse(text, path, out problems);
    }

    /// <summary>Reads configuration <paramref name="text"/> that came from <paramref name="path"/>.</summary>
    public static DaemonConfig? Parse(string text, string path, out IReadOnlyList<ConfigProblem> problems)
    {
        var reader = new ConfigReader(path);
        DaemonConfig? config = reader.ParseText(text);
        problems = reader._problems;
        return reader._problems.Count == 0 ? config : null;
    }

    private DaemonConfig? ParseText(string text)
    {
        if (YamlAliasBudget.Check(text) is { } tooLarge)
        {
            Problem(tooLarge.At, tooLarge.Problem);
            return null;
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            Problem(e.Start, $"not valid YAML: {e.Message.ReplaceLineEndings(" ")}");
            return null;
        }
        catch (Exception e) when (YamlAliasBudget.IsParserFailure(e))
        {
            _problems.Add(new ConfigProblem(_path, 1, 1, $"not valid YAML: the parser stopped ({e.Message.ReplaceLineEndings(" ")})"));
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            _problems.Add(new ConfigProblem(_path, 1, 1, "the configuration must be a mapping of settings (services: PATH, ...)"));
            return null;
        }
        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach ((YamlNode keyNode, YamlNode value) in root.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (!Keys.Contains(key))
            {
                Problem(keyNode.Start, $"unknown setting '{key}': the settings are {string.Join(", ", Keys)}");
                continue;
            }
            values[key] = value;
        }
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_path)) ?? "/";
        var config = new DaemonConfig
        {
            Path = _path,
            Services = values.TryGetValue("services", out YamlNode? services) ? PathValue(services, directory) : null,
            Kubernetes = values.TryGetValue("kubernetes", out YamlNode? kubernetes) ? KubernetesSection(kubernetes, directory) : null,
        };
        if (services is null && kubernetes is null)
        {
            Problem(root.Start, "no 'services' setting and no 'kubernetes' section: name the model file or directory of model files ipvsd serves, or the Kubernetes API it follows");
        }
        else if (services is not null && kubernetes is not null)
        {
            Problem(kubernetes.Start, "both 'services' and 'kubernetes' are set: ipvsd serves one source of services, so remove one");
        }
        foreach ((string key, YamlNode node) in values)
        {
            config = key switch
            {
                "interface" => config with { Interface = InterfaceName(node) },
                "rules" => config with { Rules = RulesValue(node) },
                "masquerade-all" => config with { MasqueradeAll = Bool(node, "masquerade-all") },
                "cluster-cidrs" => config with { ClusterCidrs = Cidrs(node, "cluster-cidrs", onePerFamily: true) },
                "masquerade-mark" => config with { MasqueradeMark = Mark(node) },
                "sync-period" => config with { SyncPeriod = Duration(node, TimeSpan.FromSeconds(1)) },
                "min-sync-period" => config with { MinSyncPeriod = Duration(node, TimeSpan.Zero) },
                "drain-timeout" => config with { DrainTimeout = Duration(node, TimeSpan.Zero) },
                "metrics-address" => config with { MetricsAddress = Address(node) },
                "health-address" => config with { HealthAddress = Address(node) },
                "state-directory" => config with { StateDirectory = PathValue(node, directory) },
                _ => config,
            };
        }
        if (config.MinSyncPeriod > config.SyncPeriod && values.TryGetValue("min-sync-period", out YamlNode? min))
        {
            Problem(min.Start, $"min-sync-period ({Durations.Format(config.MinSyncPeriod)}) is longer than sync-period ({Durations.Format(config.SyncPeriod)}): make it shorter");
        }
        return config;
    }

    private string? Scalar(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }
        Problem(node.Start, $"{what} must be a single value");
        return null;
    }

    private string PathValue(YamlNode node, string directory)
    {
        string? value = Scalar(node, "a path");
        if (string.IsNullOrEmpty(value))
        {
            if (value is not null)
            {
                Problem(node.Start, "the path is empty");
            }
            return string.Empty;
        }
        return System.IO.Path.GetFullPath(value, directory);
    }

    private string InterfaceName(YamlNode node)
    {
        string? value = Scalar(node, "interface");
        // IFNAMSIZ is 16 with the terminating zero; '/' and whitespace are refused by the kernel too
        if (value is null || value.Length is 0 or > 15 || value.Any(c => c == '/' || char.IsWhiteSpace(c)) || value is "." or "..")
        {
            Problem(node.Start, $"interface '{value}' is not an interface name (1 to 15 characters, no '/' or spaces)");
            return "ipvsd0";
        }
        return value;
    }

    private ServiceRulesBackendKind? RulesValue(YamlNode node)
    {
        switch (Scalar(node, "rules"))
        {
            case "nftables":
                return ServiceRulesBackendKind.Nftables;
            case "iptables":
                return ServiceRulesBackendKind.Iptables;
            case "none":
                return null;
            case { } other:
                Problem(node.Start, $"rules '{other}' is not one of nftables, iptables, none");
                break;
        }
        return null;
    }

    private bool Bool(YamlNode node, string what)
    {
        string? value = Scalar(node, what);
        if (value is "true" or "false")
        {
            return value == "true";
        }
        if (value is not null)
        {
            Problem(node.Start, $"'{value}' is not true or false");
        }
        return false;
    }

    private List<IPNetwork> Cidrs(YamlNode node, string what, bool onePerFamily)
    {
        var cidrs = new List<IPNetwork>();
        if (node is not YamlSequenceNode list)
        {
            Problem(node.Start, $"{what} must be a list ([198.19.0.0/16, 2001:db8:1::/64])");
            return cidrs;
        }
        foreach (YamlNode item in list)
        {
            string? text = Scalar(item, "a CIDR");
            if (text is null)
            {
                continue;
            }
            if (!IPNetwork.TryParse(text, out IPNetwork network) || network.BaseAddress.ToString() + "/" + network.PrefixLength.ToString(CultureInfo.InvariantCulture) != text)
            {
                Problem(item.Start, $"'{text}' is not a network in CIDR form (address/prefix, host bits zero)");
                continue;
            }
            if (onePerFamily && cidrs.Any(c => c.BaseAddress.AddressFamily == network.BaseAddress.AddressFamily))
            {
                Problem(item.Start, $"a second {(network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")} cluster CIDR '{text}': give one per address family");
                continue;
            }
            cidrs.Add(network);
        }
        return cidrs;
    }

    private uint Mark(YamlNode node)
    {
        string? text = Scalar(node, "masquerade-mark");
        if (text is null)
        {
            return ServiceRuleSet.DefaultMasqueradeMark;
        }
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!uint.TryParse(hex ? text[2..] : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out uint mark)
            || mark == 0 || (mark & (mark - 1)) != 0)
        {
            Problem(node.Start, $"masquerade-mark '{text}' is not a single bit (such as 0x4000)");
            return ServiceRuleSet.DefaultMasqueradeMark;
        }
        return mark;
    }

    private TimeSpan Duration(YamlNode node, TimeSpan minimum)
    {
        string? text = Scalar(node, "a duration");
        if (text is null)
        {
            return minimum;
        }
        if (!Durations.TryParse(text, out TimeSpan value) || value < minimum)
        {
            Problem(node.Start, minimum > TimeSpan.Zero
                ? $"'{text}' is not a duration of at least {Durations.Format(minimum)} (500ms, 30s, 2m, 1h)"
                : $"'{text}' is not a duration (500ms, 30s, 2m, 1h)");
            return minimum;
        }
        return value;
    }

    private IPEndPoint? Address(YamlNode node)
    {
        string? text = Scalar(node, "an address");
        if (text is null or "" or "off")
        {
            return null;
        }
        if (!IPEndPoint.TryParse(text, out IPEndPoint? endpoint) || endpoint.Port == 0 || !text.Contains(':', StringComparison.Ordinal)
            || (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && !text.StartsWith('[')))
        {
            Problem(node.Start, $"'{text}' is not an address and port (127.0.0.1:10249, [::1]:10249), nor off");
            return null;
        }
        return endpoint;
    }

    private void Problem(Mark at, string message) => _problems.Add(new ConfigProblem(_path, (int)at.Line, (int)at.Column, message));
}
