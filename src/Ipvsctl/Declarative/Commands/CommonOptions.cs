namespace Ipvsctl.Declarative.Commands;

/// <summary>Options several commands share, and their checks.</summary>
internal static class CommonOptions
{
    public static readonly OptionSpec File = new("file", true, "-f", "--file");
    public static readonly OptionSpec Output = new("output", true, "-o", "--output");
    public static readonly OptionSpec KeepWeights = new("keep-weights", false, "--keep-weights");
    public static readonly OptionSpec Help = new("help", false, "-h", "--help");

    public static string ModelPath(ParsedArguments parsed) => parsed.Value("file") ?? ModelLoader.DefaultPath;

    public static OutputFormat Format(ParsedArguments parsed, string command) => parsed.Value("output") switch
    {
        null or "yaml" => OutputFormat.Yaml,
        "json" => OutputFormat.Json,
        string other => throw CommandFailedException.Usage($"{command}: -o {other} is not an output format: use -o yaml or -o json"),
    };

    public static void NoPositionals(ParsedArguments parsed, string command)
    {
        if (parsed.Positionals.Count > 0)
        {
            throw CommandFailedException.Usage($"{command}: unexpected argument '{parsed.Positionals[0]}'");
        }
    }
}
