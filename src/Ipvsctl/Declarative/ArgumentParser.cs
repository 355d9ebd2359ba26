namespace Ipvsctl.Declarative;

/// <summary>An option a command accepts: its names ("-f", "--file") and whether a value follows.</summary>
internal sealed record OptionSpec(string Key, bool TakesValue, params string[] Names);

/// <summary>Options and positional arguments, as <see cref="ArgumentParser"/> found them.</summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    /// <summary>Index in the input of the first argument not parsed (with stopAtPositional), or its length.</summary>
    public int End { get; set; }

    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>The value given last (later options override earlier ones), or null.</summary>
    public string? Value(string key) => _values.TryGetValue(key, out List<string>? list) ? list[^1] : null;

    public IReadOnlyList<string> Values(string key) => _values.TryGetValue(key, out List<string>? list) ? list : [];

    public void Add(string key, string value)
    {
        if (!_values.TryGetValue(key, out List<string>? list))
        {
            _values[key] = list = [];
        }
        list.Add(value);
    }
}

/// <summary>
/// Hand-rolled parsing (NativeAOT-safe, no reflection): "-f FILE", "-f=FILE", "--file FILE", "--file=FILE" and
/// flags; anything else starting with '-' is an unknown option (exit 33).
/// </summary>
internal static class ArgumentParser
{
    public static ParsedArguments Parse(IReadOnlyList<string> args, int start, IReadOnlyList<OptionSpec> specs, string command, bool stopAtPositional = false)
    {
        var parsed = new ParsedArguments();
        int i = start;
        for (; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg.Length < 2 || arg[0] != '-')
            {
                if (stopAtPositional)
                {
                    break;
                }
                parsed.Positionals.Add(arg);
                continue;
            }
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            string name = equals > 0 ? arg[..equals] : arg;
            OptionSpec? spec = specs.FirstOrDefault(s => s.Names.Contains(name, StringComparer.Ordinal));
            if (spec is null)
            {
                throw CommandFailedException.Usage($"{command}: unknown option {name}");
            }
            if (!spec.TakesValue)
            {
                if (equals > 0)
                {
                    throw CommandFailedException.Usage($"{command}: option {name} takes no value");
                }
                parsed.Add(spec.Key, "true");
                continue;
            }
            if (equals > 0)
            {
                parsed.Add(spec.Key, arg[(equals + 1)..]);
            }
            else if (i + 1 < args.Count)
            {
                parsed.Add(spec.Key, args[++i]);
            }
            else
            {
                throw CommandFailedException.Usage($"{command}: option {name} needs a value");
            }
        }
        parsed.End = i;
        return parsed;
    }
}
