using Ipvsctl.Declarative.Commands;

namespace Ipvsctl.Declarative;

/// <summary>
/// The declarative commands (apply, changeset/diff, get, validate, set weight) over the model of
/// aschmidt75/ipvsctl, extended; see IPVSCTL-CLI.md section 2. Failures print one line per problem on stderr and
/// return the documented exit status.
/// </summary>
internal static class DeclarativeCommand
{
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdin, stdout, stderr, DeclarativeEnvironment.System);

    internal static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, DeclarativeEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        bool debug = args.Contains("-d") || args.Contains("--debug");
        try
        {
            GlobalOptions options = GlobalOptions.Parse(args, out int commandIndex);
            var context = new CommandContext(options, stdin, stdout, stderr, environment);
            if (options.Help)
            {
                return Usage.Print(context, "ipvsctl");
            }
            if (commandIndex >= args.Length)
            {
                throw CommandFailedException.Usage("no command: use apply, changeset, get, validate or set");
            }
            string command = args[commandIndex];
            string[] rest = args[(commandIndex + 1)..];
            return command switch
            {
                "apply" => ApplyCommand.Run(context, rest),
                "changeset" or "diff" => ChangesetCommand.Run(context, rest, command),
                "get" => GetCommand.Run(context, rest),
                "validate" => ValidateCommand.Run(context, rest),
                "set" => SetWeightCommand.Run(context, rest),
                "help" => Usage.Print(context, "ipvsctl"),
                "version" => Version(context),
                _ => throw CommandFailedException.Usage($"unknown command '{command}': use apply, changeset, get, validate or set"),
            };
        }
        catch (CommandFailedException e)
        {
            foreach (string line in e.Lines)
            {
                stderr.WriteLine("ipvsctl: " + line);
            }
            return e.ExitCode;
        }
#pragma warning disable CA1031 // the last line of defence: any other failure is exit 127 with its message, not a crash dump
        catch (Exception e)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"ipvsctl: unexpected error: {e.Message}");
            if (debug)
            {
                stderr.WriteLine(e.ToString());
            }
            return ExitCodes.Unknown;
        }
    }

    private static int Version(CommandContext context)
    {
        string version = typeof(DeclarativeCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        context.Stdout.WriteLine($"ipvsctl {version}");
        return ExitCodes.Ok;
    }
}
