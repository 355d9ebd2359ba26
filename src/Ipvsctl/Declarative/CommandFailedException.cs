namespace Ipvsctl.Declarative;

/// <summary>A command cannot go on: the lines to print on stderr and the exit status to return.</summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException(int exitCode, IReadOnlyList<string> lines)
        : base(string.Join(Environment.NewLine, lines))
    {
        ExitCode = exitCode;
        Lines = lines;
    }

    public CommandFailedException(int exitCode, string line)
        : this(exitCode, [line])
    {
    }

    public CommandFailedException()
        : this(ExitCodes.Unknown, "unknown error")
    {
    }

    public CommandFailedException(string message)
        : this(ExitCodes.Unknown, message)
    {
    }

    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Unknown;
        Lines = [message];
    }

    public int ExitCode { get; }

    public IReadOnlyList<string> Lines { get; }

    public static CommandFailedException Usage(string line) => new(ExitCodes.InvalidArguments, line + " (see: ipvsctl help)");
}
