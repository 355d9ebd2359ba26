namespace ServiceProxy.Programs;

/// <summary>How a program run by <see cref="ExternalProgram"/> ended.</summary>
/// <param name="ExitCode">Its exit status.</param>
/// <param name="StandardOutput">Everything it wrote to stdout.</param>
/// <param name="StandardError">Everything it wrote to stderr.</param>
internal sealed record ProgramResult(int ExitCode, string StandardOutput, string StandardError);
