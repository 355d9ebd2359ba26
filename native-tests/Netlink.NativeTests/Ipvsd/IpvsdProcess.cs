using System.Collections.Concurrent;
using System.Diagnostics;
using CliWrap;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>
/// A running ipvsd (the published NativeAOT binary) inside a test namespace, its log lines collected for the test to
/// wait on. `ip netns exec` execs ipvsd in place, so the process id is ipvsd's own, and signals reach it.
/// </summary>
public sealed class IpvsdProcess : IDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly CommandTask<CommandResult> _task;
    private readonly CancellationTokenSource _kill = new();

    private IpvsdProcess(TestNamespace ns, string config)
    {
        _task = Cli.Wrap("ip")
            .WithArguments(["netns", "exec", ns.Name, PublishedBinaries.PathOf("ipvsd"), "--config", config])
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(_lines.Enqueue))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => _lines.Enqueue("stderr: " + line)))
            .ExecuteAsync(_kill.Token);
    }

    public int ProcessId => _task.ProcessId;

    /// <summary>Every line logged so far.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    public bool HasExited => _task.Task.IsCompleted;

    public static IpvsdProcess Start(TestNamespace ns, string config) => new(ns, config);

    /// <summary>Waits for a log line containing <paramref name="text"/> after the first <paramref name="skip"/> lines; fails the test with the log when none comes.</summary>
    public string WaitForLine(string text, TimeSpan timeout, int skip = 0)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            string? line = Lines.Skip(skip).FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }
            Assert.False(HasExited && Lines.Skip(skip).All(l => !l.Contains(text, StringComparison.Ordinal)), $"ipvsd exited before logging '{text}':\n{Log}");
            Thread.Sleep(50);
        }
        Assert.Fail($"ipvsd did not log '{text}' within {timeout.TotalSeconds} s:\n{Log}");
        return string.Empty;
    }

    public string Log => string.Join('\n', Lines);

    /// <summary>Sends a signal (HUP, TERM, KILL) to ipvsd.</summary>
    public void Signal(string signal) => TestNamespace.Run("kill", $"-{signal}", ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>SIGTERM, then waits for the exit; returns the exit status.</summary>
    public int Stop(TimeSpan? timeout = null)
    {
        Signal("TERM");
        return WaitForExit(timeout ?? TimeSpan.FromSeconds(30));
    }

    public int WaitForExit(TimeSpan timeout)
    {
        Assert.True(_task.Task.Wait(timeout), $"ipvsd did not exit within {timeout.TotalSeconds} s:\n{Log}");
        return _task.Task.Result.ExitCode;
    }

    public void Dispose()
    {
        if (!HasExited)
        {
            _kill.Cancel();
            try
            {
                _task.Task.Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
                // cancelled: the process was killed, as asked
            }
        }
        _kill.Dispose();
    }
}
