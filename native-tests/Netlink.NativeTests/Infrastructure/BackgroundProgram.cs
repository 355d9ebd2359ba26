using System.Globalization;
using CliWrap;

namespace Netlink.NativeTests.Infrastructure;

/// <summary>
/// A long-running program inside a test namespace (a server, a daemon): its output lines are kept so a test can
/// wait for one, and dispose kills it with its children, so a failing test leaves nothing running.
/// </summary>
public sealed class BackgroundProgram : IDisposable
{
    private readonly object _gate = new();
    private readonly List<string> _lines = [];
    private readonly CancellationTokenSource _kill = new();
    private readonly CommandTask<CommandResult> _task;
    private int? _exitCode;
    private bool _disposed;

    private BackgroundProgram(TestNamespace ns, string program, string[] arguments, bool enter = false)
    {
        Description = $"{program} {string.Join(' ', arguments)} in {ns.Name}";
        // `ip netns exec` (and nsenter) execs the program itself, so the process CliWrap starts is the program: signals reach it.
        string[] prefix = enter ? ["nsenter", $"--net=/run/netns/{ns.Name}"] : ["ip", "netns", "exec", ns.Name];
        _task = Cli.Wrap(prefix[0]).WithArguments([.. prefix[1..], program, .. arguments])
            .WithStandardOutputPipe(PipeTarget.ToDelegate(Add))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => Add("stderr: " + line)))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(_kill.Token);
        _task.Task.ContinueWith(Exited, TaskScheduler.Default);
    }

    /// <summary>The program and where it runs, for messages.</summary>
    public string Description { get; }

    /// <summary>The program's process id.</summary>
    public int ProcessId => _task.ProcessId;

    /// <summary>Whether the program has exited (by itself or killed).</summary>
    public bool HasExited => _task.Task.IsCompleted;

    /// <summary>How many lines it has written so far (stdout and stderr); a position for <see cref="WaitForLine"/>.</summary>
    public int LineCount
    {
        get
        {
            lock (_gate)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>Everything written so far, stderr lines marked "stderr: ", for assertions and failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Starts <paramref name="program"/> in <paramref name="ns"/>.</summary>
    public static BackgroundProgram Start(TestNamespace ns, string program, params string[] arguments) => new(ns, program, arguments);

    /// <summary>
    /// Starts <paramref name="program"/> in <paramref name="ns"/>'s network namespace only (nsenter --net), for a
    /// program that needs nothing else of `ip netns exec` (its mount namespace and fresh /sys cost ~5 s a start in the VM).
    /// </summary>
    public static BackgroundProgram StartEntered(TestNamespace ns, string program, params string[] arguments) => new(ns, program, arguments, enter: true);

    /// <summary>
    /// Waits for a line (from position <paramref name="from"/> on) that matches, and returns it; fails with the output
    /// so far when the program exits first or <paramref name="timeout"/> passes.
    /// </summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan timeout, string what, int from = 0)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            for (int next = from; ; )
            {
                for (; next < _lines.Count; next++)
                {
                    if (match(_lines[next]))
                    {
                        return _lines[next];
                    }
                }
                if (_exitCode is int code)
                {
                    throw new InvalidOperationException($"{Description} exited {code} before writing {what}; its output:\n{string.Join('\n', _lines)}");
                }
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"{Description} wrote no {what} within {timeout.TotalSeconds:0.#} s; its output:\n{string.Join('\n', _lines)}");
                }
                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>Sends a signal by name ("TERM", "HUP") to the program.</summary>
    public void Signal(string name) => TestNamespace.Run("kill", "-s", name, ProcessId.ToString(CultureInfo.InvariantCulture));

    /// <summary>Waits for the program to exit and returns its status; fails with its output when it does not.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_task.Task.Wait(timeout))
        {
            throw new TimeoutException($"{Description} still runs after {timeout.TotalSeconds:0.#} s; its output:\n{Output}");
        }
        return _task.Task.Result.ExitCode;
    }

    /// <summary>Kills the program and its children (if still running) and waits for it to be gone.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _kill.Cancel();
        try
        {
            _task.Task.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException)
        {
            // What killing it looks like.
        }
        _kill.Dispose();
    }

    private void Add(string line)
    {
        lock (_gate)
        {
            _lines.Add(line);
            Monitor.PulseAll(_gate);
        }
    }

    private void Exited(Task<CommandResult> finished)
    {
        lock (_gate)
        {
            _exitCode = finished.IsCompletedSuccessfully ? finished.Result.ExitCode : -1;
            Monitor.PulseAll(_gate);
        }
    }
}
