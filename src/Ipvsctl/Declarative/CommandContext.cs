using Ipvsctl.Declarative.Output;

namespace Ipvsctl.Declarative;

/// <summary>What every command gets: the global options, the three streams and the machine.</summary>
internal sealed class CommandContext(GlobalOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr, DeclarativeEnvironment environment)
{
    public GlobalOptions Options { get; } = options;

    public TextReader Stdin { get; } = stdin;

    public TextWriter Stdout { get; } = stdout;

    public TextWriter Stderr { get; } = stderr;

    public DeclarativeEnvironment Environment { get; } = environment;

    /// <summary>A progress line on stderr with -v (stdout stays clean for output that is piped on).</summary>
    public void Verbose(string line)
    {
        if (Options.Verbose)
        {
            Stderr.WriteLine("ipvsctl: " + line);
        }
    }

    /// <summary>Prints a result as YAML or JSON; a failing stdout is exit 100.</summary>
    public void Print(OutputNode node, OutputFormat format)
    {
        try
        {
            if (format == OutputFormat.Json)
            {
                JsonOutput.Write(Stdout, node);
            }
            else
            {
                YamlOutput.Write(Stdout, node);
            }
            Stdout.Flush();
        }
        catch (IOException e)
        {
            throw new CommandFailedException(ExitCodes.OutputError, $"cannot write the output: {e.Message}");
        }
    }
}

/// <summary>-o yaml (the default) or -o json.</summary>
internal enum OutputFormat
{
    Yaml,
    Json,
}
