namespace ServiceProxy.Model;

/// <summary>
/// Dynamic parameters: named values from several sources, searched in order (first found wins), substituted for
/// ${name} in the model's values. ${...} may nest: ${backends.${env.STAGE}} resolves the inner one first.
/// </summary>
public sealed class ParameterSet
{
    private readonly Func<string, string> _hint;

    /// <summary>Expansions per value before giving up: a parameter whose value names itself would never end.</summary>
    private const int MaxExpansions = 64;

    private readonly List<IReadOnlyDictionary<string, string>> _sources = [];
    private readonly List<UnresolvedParameter> _unresolved = [];

    /// <summary>
    /// An empty set. <paramref name="hint"/> tells a user where a missing parameter could come from (the program's
    /// own option for environment variables or host addresses); by default the message says only what is missing.
    /// </summary>
    public ParameterSet(Func<string, string>? hint = null) => _hint = hint ?? (name => $"define {name} in a parameter source");

    /// <summary>One line per parameter that no source had, naming it, its line and where it could come from.</summary>
    public IReadOnlyList<UnresolvedParameter> Unresolved => _unresolved;

    /// <summary>Adds a source, searched after those added before it.</summary>
    public void Add(IReadOnlyDictionary<string, string> source) => _sources.Add(source);

    /// <summary>The value of <paramref name="name"/> from the first source that has it.</summary>
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
                _unresolved.Add(new UnresolvedParameter(line, $"line {line}: '{text}' still holds ${{...}} after {MaxExpansions} substitutions: a parameter refers to itself; fix the parameter values"));
                return text;
            }
            int close = text.IndexOf('}', firstOpen);
            if (close < 0)
            {
                _unresolved.Add(new UnresolvedParameter(line, $"line {line}: '{text}' opens ${{ without a closing }}: close it"));
                return text;
            }
            // The innermost ${...}: the last opening before the first closing brace.
            int open = text.LastIndexOf("${", close, StringComparison.Ordinal);
            string name = text[(open + 2)..close];
            if (!TryGet(name, out string value))
            {
                _unresolved.Add(new UnresolvedParameter(line, $"line {line}: parameter ${{{name}}} is not resolvable: {_hint(name)}"));
                return text;
            }
            text = string.Concat(text.AsSpan(0, open), value, text.AsSpan(close + 1));
        }
    }

    /// <summary>A value that could not be resolved: its line in the model and a message naming it and the fix.</summary>
    /// <param name="Line">The model line the value is on.</param>
    /// <param name="Message">"line N: parameter ${name} is not resolvable: ..." and the like.</param>
    public sealed record UnresolvedParameter(int Line, string Message)
    {
        /// <inheritdoc />
        public override string ToString() => Message;
    }
}
