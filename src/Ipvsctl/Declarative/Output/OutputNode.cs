namespace Ipvsctl.Declarative.Output;

/// <summary>
/// What get and changeset print, as a small tree both writers walk: YAML (<see cref="YamlOutput"/>) and JSON
/// (<see cref="JsonOutput"/>) then say the same thing, and neither needs reflection.
/// </summary>
internal abstract record OutputNode;

/// <summary>A mapping whose keys keep the order they were added in.</summary>
internal sealed record OutputMap : OutputNode
{
    public List<KeyValuePair<string, OutputNode>> Entries { get; } = [];

    public OutputMap Add(string key, OutputNode value)
    {
        Entries.Add(new(key, value));
        return this;
    }

    public OutputMap Add(string key, string value) => Add(key, new OutputText(value));

    public OutputMap Add(string key, long value) => Add(key, new OutputNumber(value));
}

/// <summary>A list; <paramref name="Flow"/> prints it on one line in YAML ("[a, b]").</summary>
internal sealed record OutputList(List<OutputNode> Items, bool Flow = false) : OutputNode;

/// <summary>A string.</summary>
internal sealed record OutputText(string Value) : OutputNode;

/// <summary>A whole number.</summary>
internal sealed record OutputNumber(long Value) : OutputNode;
