using System.ComponentModel;
using CliWrap;
using CliWrap.Buffered;

namespace ServiceProxy.Programs;

/// <summary>
/// The one way the service proxy runs another program (modprobe, iptables-restore): through CliWrap, never a shell,
/// arguments passed as they are, input through a pipe, output captured, bounded in time.
/// </summary>
internal static class ExternalProgram
{
    /// <summary>
    /// Runs <paramref name="path"/> with <paramref name="arguments"/> and waits for it. A program that cannot start
    /// or does not finish in <paramref name="timeout"/> (it is then killed) throws <see cref="ProgramFailedToRunException"/>;
    /// a non-zero exit is the caller's to judge.
    /// </summary>
    public static ProgramResult Run(string path, IReadOnlyList<string> arguments, string? input, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Command command = Cli.Wrap(path).WithArguments(arguments).WithValidation(CommandResultValidation.None);
        if (input is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(input));
        }
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            BufferedCommandResult result = command.ExecuteBufferedAsync(limit.Token).GetAwaiter().GetResult();
            return new ProgramResult(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProgramFailedToRunException($"{Path.GetFileName(path)} did not finish within {timeout.TotalSeconds:0} s and was stopped", e);
        }
        catch (Win32Exception e)
        {
            throw new ProgramFailedToRunException($"{Path.GetFileName(path)} could not be started: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new ProgramFailedToRunException($"{Path.GetFileName(path)} could not be started: {e.Message}", e);
        }
    }
}
