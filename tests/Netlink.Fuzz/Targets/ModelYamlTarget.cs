using ServiceProxy.Model;

namespace Netlink.Fuzz.Targets;

/// <summary>The declarative model as ipvsctl apply/validate and ipvsd read it: YAML shape, parameters, then values.</summary>
public sealed class ModelYamlTarget : IFuzzTarget
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["vip"] = "198.18.0.10",
        ["port"] = "80",
        ["backend"] = "198.18.1.10",
    };

    /// <inheritdoc />
    public string Name => "model-yaml";

    /// <inheritdoc />
    public string Description => "a service model file (YAML, anchors and aliases included), read and validated with and without parameters";

    /// <inheritdoc />
    public void Run(ReadOnlySpan<byte> input)
    {
        string text = TextInput.Decode(input);
        // Every refusal is a diagnostic in the result; nothing is thrown for any text.
        ServiceModel.Parse(text, "fuzz.yaml");
        var parameters = new ParameterSet();
        parameters.Add(Values);
        ServiceModel.Parse(text, "fuzz.yaml", parameters);
    }
}
