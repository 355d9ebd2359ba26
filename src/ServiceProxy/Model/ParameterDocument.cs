using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ServiceProxy.Model;

/// <summary>
/// Flattens a YAML or JSON parameter document into dotted keys: {"some": {"ip": "10.0.0.1"}} gives some.ip, list
/// items their index (servers.0). JSON is read with System.Text.Json's JsonDocument, YAML with YamlDotNet's
/// representation model: neither uses reflection.
/// </summary>
public static class ParameterDocument
{
    /// <summary>The document's values by dotted key; <paramref name="origin"/> names the document in messages.</summary>
    /// <exception cref="ModelException">A <see cref="ModelDiagnosticKind.Syntax"/> problem: the text is neither a JSON object nor a YAML mapping.</exception>
    public static Dictionary<string, string> Flatten(string text, string origin)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string trimmed = text.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using JsonDocument json = JsonDocument.Parse(text);
                AddJson(values, string.Empty, json.RootElement);
                return values;
            }
            catch (JsonException)
            {
                // Flow-style YAML starts with '{' too: let the YAML reader have a go.
            }
        }
        if (YamlAliasBudget.Check(text) is { } tooLarge)
        {
            throw Invalid(origin, $"line {tooLarge.At.Line}: {tooLarge.Problem}");
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw Invalid(origin, $"line {e.Start.Line}: {e.Message.ReplaceLineEndings(" ")}");
        }
        catch (Exception e) when (YamlAliasBudget.IsParserFailure(e))
        {
            throw Invalid(origin, $"the YAML parser stopped ({e.Message.ReplaceLineEndings(" ")})");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw Invalid(origin, "it is not a mapping of keys to values");
        }
        AddYaml(values, string.Empty, root);
        return values;
    }

    private static ModelException Invalid(string origin, string problem) =>
        new(new ModelDiagnostic(ModelDiagnosticKind.Syntax, origin, 0, 0, $"parameters from {origin} must be a JSON object or YAML mapping ({problem}): fix the document"));

    private static void AddJson(Dictionary<string, string> values, string prefix, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    AddJson(values, Join(prefix, property.Name), property.Value);
                }
                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    AddJson(values, Join(prefix, index++.ToString(CultureInfo.InvariantCulture)), item);
                }
                break;
            case JsonValueKind.String:
                values.TryAdd(prefix, element.GetString() ?? string.Empty);
                break;
            case JsonValueKind.Null or JsonValueKind.Undefined:
                break;
            default:
                values.TryAdd(prefix, element.GetRawText());
                break;
        }
    }

    private static void AddYaml(Dictionary<string, string> values, string prefix, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (KeyValuePair<YamlNode, YamlNode> pair in mapping.Children)
                {
                    if (pair.Key is YamlScalarNode { Value: string key })
                    {
                        AddYaml(values, Join(prefix, key), pair.Value);
                    }
                }
                break;
            case YamlSequenceNode sequence:
                for (int i = 0; i < sequence.Children.Count; i++)
                {
                    AddYaml(values, Join(prefix, i.ToString(CultureInfo.InvariantCulture)), sequence.Children[i]);
                }
                break;
            case YamlScalarNode { Value: string value }:
                values.TryAdd(prefix, value);
                break;
        }
    }

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "." + key;
}
