namespace Ipvsctl.Declarative.Parameters;

/// <summary>
/// Dynamic parameters: named values from several sources, searched in order (first found wins), substituted for
/// ${name} in the model's values. ${...} may nest: ${backends.${env.STAGE}} resolves the inner one first.
/// </summary>
internal sealed class ParameterSet
{
    /// <summary>Expansions per value before giving up: a parameter whose value names itself would never end.</summary>
    private const int MaxExpansions = 64;

    private readonly List<IReadOnlyDictionary<string, string>> _sources = [];
    private readonly List<string> _unresolved = [];

    /// <summary>One line per parameter that no source had, naming it, its line and where it could come from.</summary>
    public IReadOnlyList<string> Unresolved => _unresolved;

    public void Add(IReadOnlyDictionary<string, string> source) => _sources.Add(source);

    public bool TryGet(string name, out string value)
    {
        foreach (IReadOnlyDictionary<string, string> source in _sources)
        {
            if (source.TryGetValue(name, out string? found))
            {
                value = found;
                return true;
            }
        }
        value = string.Empty;
        return false;
    }

    /// <summary>Replaces every ${name} in <paramref name="text"/>; an unknown one is recorded in <see cref="Unresolved"/> and left as is.</summary>
    public string Substitute(string text, int line)
    {
        for (int expansions = 0; ; expansions++)
        {
            int firstOpen = text.IndexOf("${", StringComparison.Ordinal);
            if (firstOpen < 0)
            {
                return text;
            }
            if (expansions == MaxExpansions)
            {
                _unresolved.Add($"line {line}: '{text}' still holds ${{...}} after {MaxExpansions} substitutions: a parameter refers to itself; fix the parameter values");
                return text;
            }
            int close = text.IndexOf('}', firstOpen);
            if (close < 0)
            {
                _unresolved.Add($"line {line}: '{text}' opens ${{ without a closing }}: close it");
                return text;
            }
            // The innermost ${...}: the last opening before the first closing brace.
            int open = text.LastIndexOf("${", close, StringComparison.Ordinal);
            string name = text[(open + 2)..close];
            if (!TryGet(name, out string value))
            {
                _unresolved.Add($"line {line}: parameter ${{{name}}} is not resolvable: {Hint(name)}");
                return text;
            }
            text = string.Concat(text.AsSpan(0, open), value, text.AsSpan(close + 1));
        }
    }

    private static string Hint(string name)
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
