using System.Net;
using ServiceProxy.Model;
using YamlDotNet.RepresentationModel;

namespace Ipvsd.Configuration;

/// <summary>The <c>kubernetes:</c> section.</summary>
internal sealed partial class ConfigReader
{
    private static readonly string[] KubernetesKeys =
        ["kubeconfig", "node-name", "service-proxy-name", "scheduler", "node-port-addresses", "strict-arp"];

    private KubernetesConfig? KubernetesSection(YamlNode node, string directory)
    {
        if (node is not YamlMappingNode section)
        {
            Problem(node.Start, "kubernetes must be a mapping (kubeconfig: PATH, node-name: NAME, ...), or {} inside a pod");
            return null;
        }
        var config = new KubernetesConfig { NodeName = DefaultNodeName() };
        foreach ((YamlNode keyNode, YamlNode value) in section.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            config = key switch
            {
                "kubeconfig" => config with { Kubeconfig = PathValue(value, directory) },
                "node-name" => config with { NodeName = NodeName(value) },
                "service-proxy-name" => config with { ServiceProxyName = ProxyName(value) },
                "scheduler" => config with { Scheduler = Scheduler(value) },
                "node-port-addresses" => config with { NodePortAddresses = Cidrs(value, "node-port-addresses", onePerFamily: false) },
                "strict-arp" => config with { StrictArp = Bool(value, "strict-arp") },
                _ => Unknown(keyNode, key, config),
            };
        }
        return config;
    }

    private KubernetesConfig Unknown(YamlNode keyNode, string key, KubernetesConfig config)
    {
        Problem(keyNode.Start, $"unknown kubernetes setting '{key}': the settings are {string.Join(", ", KubernetesKeys)}");
        return config;
    }

    /// <summary>kube-proxy's choice: the NODE_NAME a DaemonSet sets from spec.nodeName, else the host name in lower case.</summary>
    private static string DefaultNodeName() =>
        Environment.GetEnvironmentVariable("NODE_NAME") is { Length: > 0 } name ? name : Dns.GetHostName().ToLowerInvariant();

    private string NodeName(YamlNode node)
    {
        string? value = Scalar(node, "node-name");
        if (string.IsNullOrWhiteSpace(value) || value.Length > 253 || value.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')))
        {
            Problem(node.Start, $"node-name '{value}' is not a Node's name (lower-case letters, digits, '-' and '.'; as `kubectl get nodes` lists it)");
            return DefaultNodeName();
        }
        return value;
    }

    private string? ProxyName(YamlNode node)
    {
        string? value = Scalar(node, "service-proxy-name");
        // a label value: up to 63 characters, alphanumerics with '-', '_' and '.' inside
        if (value is { Length: > 0 } && (value.Length > 63 || !char.IsAsciiLetterOrDigit(value[0]) || !char.IsAsciiLetterOrDigit(value[^1])
            || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))))
        {
            Problem(node.Start, $"service-proxy-name '{value}' is not a label value (up to 63 letters, digits, '-', '_', '.', starting and ending with a letter or digit)");
            return null;
        }
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private string Scheduler(YamlNode node)
    {
        string? value = Scalar(node, "scheduler");
        if (value is null || !ModelNames.KnownSchedulers.Contains(value))
        {
            Problem(node.Start, $"scheduler '{value}' is not an IPVS scheduler: use one of {string.Join(", ", ModelNames.KnownSchedulers)}");
            return "rr";
        }
        return value;
    }
}
