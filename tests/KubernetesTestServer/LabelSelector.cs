namespace KubernetesTestServer;

/// <summary>
/// A parsed <c>labelSelector</c>: comma-separated requirements <c>key=value</c>, <c>key==value</c>, <c>key!=value</c>,
/// <c>key</c> (exists) and <c>!key</c> (does not exist), all of which must hold. Set-based forms (<c>in</c>,
/// <c>notin</c>) are refused, as nothing here sends them.
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Func<IDictionary<string, string>?, bool>> _requirements = [];

    private LabelSelector()
    {
    }

    /// <summary>Parses a selector; null or empty selects everything.</summary>
    /// <param name="text">The query parameter's value.</param>
    /// <returns>The selector.</returns>
    /// <exception cref="FormatException">A requirement this server does not understand.</exception>
    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }
        foreach (string raw in text.Split(','))
        {
            string part = raw.Trim();
            if (part.Length == 0)
            {
                continue;
            }
            if (part.Contains(" in ", StringComparison.Ordinal) || part.Contains(" notin ", StringComparison.Ordinal) || part.Contains('('))
            {
                throw new FormatException($"set-based label requirement not supported: {part}");
            }
            int notEquals = part.IndexOf("!=", StringComparison.Ordinal);
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (notEquals > 0)
            {
                string key = part[..notEquals].Trim();
                string value = part[(notEquals + 2)..].Trim();
                selector._requirements.Add(labels => labels is null || !labels.TryGetValue(key, out string? v) || v != value);
            }
            else if (equals > 0)
            {
                string key = part[..equals].Trim();
                string value = part[(equals + (part.AsSpan(equals).StartsWith("==") ? 2 : 1))..].Trim();
                selector._requirements.Add(labels => labels is not null && labels.TryGetValue(key, out string? v) && v == value);
            }
            else if (part.StartsWith('!'))
            {
                string key = part[1..].Trim();
                selector._requirements.Add(labels => labels is null || !labels.ContainsKey(key));
            }
            else
            {
                string key = part;
                selector._requirements.Add(labels => labels is not null && labels.ContainsKey(key));
            }
        }
        return selector;
    }

    /// <summary>True when every requirement holds for <paramref name="labels"/>.</summary>
    /// <param name="labels">An object's <c>metadata.labels</c>.</param>
    /// <returns>Whether the object is selected.</returns>
    public bool Matches(IDictionary<string, string>? labels) => _requirements.TrueForAll(r => r(labels));
}
