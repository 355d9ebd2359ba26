namespace ServiceProxy.Rules;

/// <summary>
/// An iptables program failed or is missing. The message names the program, quotes its error output (and, for a restore,
/// the input line it refused) and says what to fix.
/// </summary>
public sealed class IptablesException : Exception
{
    /// <summary>Creates an exception with no details.</summary>
    public IptablesException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public IptablesException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public IptablesException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a program that ran and failed.</summary>
    public IptablesException(string message, string program, int exitCode, string standardError)
        : base(message)
    {
        Program = program;
        ExitCode = exitCode;
        StandardError = standardError;
    }

    /// <summary>The program that failed, such as iptables-restore.</summary>
    public string? Program { get; }

    /// <summary>Its exit code, when it ran.</summary>
    public int? ExitCode { get; }

    /// <summary>Everything it wrote to stderr, when it ran.</summary>
    public string? StandardError { get; }
}
