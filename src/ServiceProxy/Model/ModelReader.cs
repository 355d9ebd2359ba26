using Netlink.Ipvs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ServiceProxy.Model;

/// <summary>
/// Reads a model file into a <see cref="ModelDocument"/> with YamlDotNet's parser and representation model (no
/// reflection, so NativeAOT-safe). Shape errors (not YAML, unknown keys, a list where a value belongs) are collected
/// and reported together as an invalid model file; values are only checked later, by the validator.
/// </summary>
internal sealed class ModelReader
{
    private static readonly string[] TopKeys = ["defaults", "services", "timeouts"];
    private static readonly string[] DefaultsKeys = ["port", "weight", "sched", "forward"];
    private static readonly string[] ServiceKeys = ["address", "family", "sched", "persistent", "netmask", "flags", "pe", "destinations", "health-check"];
    private static readonly string[] HealthCheckKeys = ["type", "port", "path", "status", "interval", "timeout", "rise", "fall", "on-failure"];
    private static readonly string[] DestinationKeys = ["address", "weight", "forward", "upper-threshold", "lower-threshold", "tunnel-type", "tunnel-port", "tunnel-checksum"];
    private static readonly string[] TimeoutKeys = ["tcp", "tcpfin", "udp"];

    private readonly List<ModelDiagnostic> _errors = [];
    private readonly string _source;
    private readonly Func<string, int, string> _substitute;

    private ModelReader(string source, Func<string, int, string> substitute)
    {
        _source = source;
        _substitute = substitute;
    }

    /// <summary>
    /// Reads <paramref name="text"/>; <paramref name="substitute"/> resolves ${parameters} in every value (text, line).
    /// Returns the document, or null with one <see cref="ModelDiagnosticKind.Syntax"/> diagnostic per shape error.
    /// </summary>
    public static ModelDocument? Read(string text, string source, Func<string, int, string> substitute, out IReadOnlyList<ModelDiagnostic> diagnostics)
    {
        var reader = new ModelReader(source, substitute);
        var document = new ModelDocument();
        if (YamlAliasBudget.Check(text) is { } tooLarge)
        {
            diagnostics = [new ModelDiagnostic(ModelDiagnosticKind.Syntax, source, (int)tooLarge.At.Line, (int)tooLarge.At.Column,
                $"{source} (line {tooLarge.At.Line}, column {tooLarge.At.Column}): {tooLarge.Problem}")];
            return null;
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            diagnostics = [new ModelDiagnostic(ModelDiagnosticKind.Syntax, source, (int)e.Start.Line, (int)e.Start.Column,
                $"{source} is not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {Flatten(e.Message)}: fix the syntax")];
            return null;
        }
        catch (Exception e) when (YamlAliasBudget.IsParserFailure(e))
        {
            diagnostics = [new ModelDiagnostic(ModelDiagnosticKind.Syntax, source, 0, 0,
                $"{source} is not valid YAML: the parser stopped ({Flatten(e.Message)}): fix the syntax")];
            return null;
        }
        if (stream.Documents.Count > 1)
        {
            YamlNode second = stream.Documents[1].RootNode;
            reader.Error(second.Start, $"{source} holds {stream.Documents.Count} YAML documents: put the whole model in one");
        }
        else if (stream.Documents.Count == 1)
        {
            reader.ReadRoot(stream.Documents[0].RootNode, document);
        }
        diagnostics = reader._errors;
        return reader._errors.Count > 0 ? null : document;
    }

    private void Error(Mark at, string problem) =>
        _errors.Add(new ModelDiagnostic(ModelDiagnosticKind.Syntax, _source, (int)at.Line, (int)at.Column, $"{_source}: {problem}"));

    private void ReadRoot(YamlNode root, ModelDocument document)
    {
        if (IsNull(root))
        {
            return; // an empty file is the empty model
        }
        if (root is not YamlMappingNode top)
        {
            Error(root.Start, $"line {root.Start.Line}: the model must be a mapping with services: (and optionally defaults:, timeouts:)");
            return;
        }
        foreach ((string key, YamlNode value) in Entries(top, "the model", TopKeys))
        {
            switch (key)
            {
                case "defaults": ReadDefaults(value, document.Defaults); break;
                case "services": ReadServices(value, document.Services); break;
                case "timeouts": document.Timeouts = ReadTimeouts(value); break;
            }
        }
    }

    private void ReadDefaults(YamlNode node, DefaultsDocument defaults)
    {
        foreach ((string key, YamlNode value) in Entries(node, "defaults", DefaultsKeys))
        {
            Scalar? scalar = ScalarOf(value, "defaults." + key);
            switch (key)
            {
                case "port": defaults.Port = scalar; break;
                case "weight": defaults.Weight = scalar; break;
                case "sched": defaults.Scheduler = scalar; break;
                case "forward": defaults.Forward = scalar; break;
            }
        }
    }

    private TimeoutsDocument? ReadTimeouts(YamlNode node)
    {
        if (IsNull(node))
        {
            return null;
        }
        var timeouts = new TimeoutsDocument { Line = (int)node.Start.Line };
        foreach ((string key, YamlNode value) in Entries(node, "timeouts", TimeoutKeys))
        {
            Scalar? scalar = ScalarOf(value, "timeouts." + key);
            switch (key)
            {
                case "tcp": timeouts.Tcp = scalar; break;
                case "tcpfin": timeouts.TcpFin = scalar; break;
                case "udp": timeouts.Udp = scalar; break;
            }
        }
        return timeouts;
    }

    private void ReadServices(YamlNode node, List<ServiceDocument> services)
    {
        foreach (YamlNode item in Items(node, "services"))
        {
            var service = new ServiceDocument { Number = services.Count + 1, Line = (int)item.Start.Line };
            services.Add(service);
            string where = $"service {service.Number}";
            foreach ((string key, YamlNode value) in Entries(item, where, ServiceKeys))
            {
                switch (key)
                {
                    case "address": service.Address = ScalarOf(value, where + " address"); break;
                    case "family": service.Family = ScalarOf(value, where + " family"); break;
                    case "sched": service.Scheduler = ScalarOf(value, where + " sched"); break;
                    case "persistent": service.Persistent = ScalarOf(value, where + " persistent"); break;
                    case "netmask": service.Netmask = ScalarOf(value, where + " netmask"); break;
                    case "pe": service.PersistenceEngine = ScalarOf(value, where + " pe"); break;
                    case "flags": ReadFlags(value, where, service.Flags); break;
                    case "destinations": ReadDestinations(value, where, service.Destinations); break;
                    case "health-check": service.HealthCheck = ReadHealthCheck(value, where); break;
                }
            }
        }
    }

    private HealthCheckDocument? ReadHealthCheck(YamlNode node, string service)
    {
        if (IsNull(node))
        {
            return null;
        }
        var check = new HealthCheckDocument { Line = (int)node.Start.Line };
        string where = service + " health-check";
        foreach ((string key, YamlNode value) in Entries(node, where, HealthCheckKeys))
        {
            Scalar? scalar = ScalarOf(value, $"{where} {key}");
            switch (key)
            {
                case "type": check.Type = scalar; break;
                case "port": check.Port = scalar; break;
                case "path": check.Path = scalar; break;
                case "status": check.Status = scalar; break;
                case "interval": check.Interval = scalar; break;
                case "timeout": check.Timeout = scalar; break;
                case "rise": check.Rise = scalar; break;
                case "fall": check.Fall = scalar; break;
                case "on-failure": check.OnFailure = scalar; break;
            }
        }
        return check;
    }

    private void ReadFlags(YamlNode node, string where, List<Scalar> flags)
    {
        if (node is YamlScalarNode)
        {
            // "flags: sh-port" as well as "flags: [sh-port]".
            if (ScalarOf(node, where + " flags") is Scalar single)
            {
                flags.Add(single);
            }
            return;
        }
        foreach (YamlNode item in Items(node, where + " flags"))
        {
            if (ScalarOf(item, where + " flags") is Scalar flag)
            {
                flags.Add(flag);
            }
        }
    }

    private void ReadDestinations(YamlNode node, string service, List<DestinationDocument> destinations)
    {
        foreach (YamlNode item in Items(node, service + " destinations"))
        {
            var destination = new DestinationDocument { Number = destinations.Count + 1, Line = (int)item.Start.Line };
            destinations.Add(destination);
            string where = $"{service} destination {destination.Number}";
            foreach ((string key, YamlNode value) in Entries(item, where, DestinationKeys))
            {
                Scalar? scalar = ScalarOf(value, $"{where} {key}");
                switch (key)
                {
                    case "address": destination.Address = scalar; break;
                    case "weight": destination.Weight = scalar; break;
                    case "forward": destination.Forward = scalar; break;
                    case "upper-threshold": destination.UpperThreshold = scalar; break;
                    case "lower-threshold": destination.LowerThreshold = scalar; break;
                    case "tunnel-type": destination.TunnelType = scalar; break;
                    case "tunnel-port": destination.TunnelPort = scalar; break;
                    case "tunnel-checksum": destination.TunnelChecksum = scalar; break;
                }
            }
        }
    }

    /// <summary>The entries of a mapping whose keys are known; an unknown key is an error naming the known ones.</summary>
    private List<(string Key, YamlNode Value)> Entries(YamlNode node, string where, string[] known)
    {
        var entries = new List<(string, YamlNode)>();
        if (IsNull(node))
        {
            return entries;
        }
        if (node is not YamlMappingNode mapping)
        {
            Error(node.Start, $"line {node.Start.Line}: {where} must be a mapping of {string.Join(", ", known)}");
            return entries;
        }
        foreach (KeyValuePair<YamlNode, YamlNode> pair in mapping.Children)
        {
            string? key = (pair.Key as YamlScalarNode)?.Value;
            if (key is null || Array.IndexOf(known, key) < 0)
            {
                Error(pair.Key.Start, $"line {pair.Key.Start.Line}: {where} has unknown key '{key ?? pair.Key.ToString()}': use {string.Join(", ", known)}");
                continue;
            }
            entries.Add((key, pair.Value));
        }
        return entries;
    }

    private List<YamlNode> Items(YamlNode node, string where)
    {
        if (IsNull(node))
        {
            return [];
        }
        if (node is not YamlSequenceNode sequence)
        {
            Error(node.Start, $"line {node.Start.Line}: {where} must be a list (items starting with '- ')");
            return [];
        }
        return [.. sequence.Children];
    }

    /// <summary>The value of a scalar after parameter substitution; null when absent (a bare "key:").</summary>
    private Scalar? ScalarOf(YamlNode node, string where)
    {
        if (IsNull(node))
        {
            return null;
        }
        if (node is not YamlScalarNode scalar)
        {
            Error(node.Start, $"line {node.Start.Line}: {where} must be a single value, not a list or mapping");
            return null;
        }
        int line = (int)node.Start.Line;
        return new Scalar(_substitute(scalar.Value ?? string.Empty, line), line, (int)node.Start.Column);
    }

    /// <summary>A plain empty scalar ("key:" with nothing after it, or "~", "null") stands for "not given".</summary>
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any } scalar
        && (string.IsNullOrEmpty(scalar.Value) || scalar.Value is "~" or "null" or "Null" or "NULL");

    private static string Flatten(string message) => message.ReplaceLineEndings(" ").Trim();
}
