using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>A running ipvsd (the published NativeAOT binary) inside a test namespace: a <see cref="BackgroundProgram"/> with ipvsd's vocabulary.</summary>
public sealed class IpvsdProcess : IDisposable
{
    private readonly BackgroundProgram _program;

    // through env, which execs ipvsd in place: IPVSD_DEBUG=1 adds the debug lines (each failed health probe, each
    // sync that changed nothing) to what a failing test prints
    private IpvsdProcess(TestNamespace ns, string config, IReadOnlyList<string> wrapper, bool entered)
    {
        string[] command = [.. wrapper, "env", "IPVSD_DEBUG=1", PublishedBinaries.PathOf("ipvsd"), "--config", config];
        _program = entered
            ? BackgroundProgram.StartEntered(ns, command[0], command[1..])
            : BackgroundProgram.Start(ns, command[0], command[1..]);
    }

    public static IpvsdProcess Start(TestNamespace ns, string config) => new(ns, config, [], entered: false);

    /// <summary>ipvsd started through <paramref name="wrapper"/> (such as setpriv and its arguments), which must exec it in place.</summary>
    public static IpvsdProcess Start(TestNamespace ns, string config, IReadOnlyList<string> wrapper) => new(ns, config, wrapper, entered: false);

    /// <summary>Starts it by nsenter --net (see <see cref="BackgroundProgram.StartEntered"/>): for tests that start it many times.</summary>
    public static IpvsdProcess StartEntered(TestNamespace ns, string config) => new(ns, config, [], entered: true);

    /// <summary>SIGKILL sent at once by this process (kill(2)), not by starting kill(1), which takes a VM most of a second.</summary>
    public void KillNow()
    {
        using var process = System.Diagnostics.Process.GetProcessById(ProcessId);
        process.Kill();
    }

    /// <summary>Everything logged so far, one line each.</summary>
    public string Log => _program.Output;

    /// <summary>ipvsd's process id (env and ip netns exec exec it in place): for /proc/PID.</summary>
    public int ProcessId => _program.ProcessId;

    /// <summary>Whether it has exited.</summary>
    public bool HasExited => _program.HasExited;

    /// <summary>How many lines were logged so far: a position for <see cref="WaitForLine"/>.</summary>
    public int LineCount => _program.LineCount;

    /// <summary>Waits for a log line containing <paramref name="text"/> after the first <paramref name="skip"/> lines.</summary>
    public string WaitForLine(string text, TimeSpan timeout, int skip = 0) =>
        _program.WaitForLine(line => line.Contains(text, StringComparison.Ordinal), timeout, $"a line with '{text}'", skip);

    /// <summary>Sends a signal by name (HUP, TERM, KILL).</summary>
    public void Signal(string signal) => _program.Signal(signal);

    /// <summary>SIGTERM, then waits for the exit; returns the exit status.</summary>
    public int Stop()
    {
        Signal("TERM");
        return WaitForExit(TimeSpan.FromSeconds(30));
    }

    public int WaitForExit(TimeSpan timeout) => _program.WaitForExit(timeout);

    public void Dispose() => _program.Dispose();
}
