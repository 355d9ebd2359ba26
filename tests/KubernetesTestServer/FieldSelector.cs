namespace KubernetesTestServer;

/// <summary>A parsed <c>fieldSelector</c>: <c>metadata.name</c> and <c>metadata.namespace</c> with <c>=</c>, <c>==</c> or <c>!=</c>, the fields every kind supports.</summary>
public sealed class FieldSelector
{
    private readonly List<Func<string?, string?, bool>> _requirements = [];

    private FieldSelector()
    {
    }

    /// <summary>Parses a selector; null or empty selects everything.</summary>
    /// <param name="text">The query parameter's value.</param>
    /// <returns>The selector.</returns>
    /// <exception cref="FormatException">A field this server does not support (the real one answers 400 too).</exception>
    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }
        foreach (string raw in text.Split(','))
        {
            string part = raw.Trim();
            int notEquals = part.IndexOf("!=", StringComparison.Ordinal);
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            bool negate = notEquals > 0;
            int at = negate ? notEquals : equals;
            if (at <= 0)
            {
                throw new FormatException($"invalid field selector requirement: {part}");
            }
            string field = part[..at].Trim();
            string value = part[(at + (negate || part.AsSpan(at).StartsWith("==") ? 2 : 1))..].Trim();
            Func<string?, string?, string?> pick = field switch
            {
                "metadata.name" => (name, _) => name,
                "metadata.namespace" => (_, ns) => ns ?? string.Empty,
                _ => throw new FormatException($"field label not supported: {field}"),
            };
            selector._requirements.Add((name, ns) => (pick(name, ns) == value) != negate);
        }
        return selector;
    }

    /// <summary>True when every requirement holds.</summary>
    /// <param name="name">The object's <c>metadata.name</c>.</param>
    /// <param name="namespaceName">The object's <c>metadata.namespace</c>.</param>
    /// <returns>Whether the object is selected.</returns>
    public bool Matches(string? name, string? namespaceName) => _requirements.TrueForAll(r => r(name, namespaceName));
}
