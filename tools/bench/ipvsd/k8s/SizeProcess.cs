using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace K8sBench;

/// <summary>A <see cref="SizeRun"/> in a child process of this program, driven line by line over its stdin and stdout.</summary>
internal sealed partial class SizeProcess : IDisposable
{
    private readonly Process _process;

    private SizeProcess(int services, Process process)
    {
        Services = services;
        _process = process;
    }

    public int Services { get; }

    /// <summary>Starts the child and waits for its first sync: the `k8s-ready` line, echoed, with its fields.</summary>
    public static SizeProcess Start(int services, out IReadOnlyDictionary<string, double> ready)
    {
        var start = new ProcessStartInfo { RedirectStandardInput = true, RedirectStandardOutput = true };
        // Run as an apphost (k8s-bench) or through the muxer (dotnet k8s-bench.dll): start the child the same way.
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("no path to this program");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SizeProcess).Assembly.Location);
        }
        start.ArgumentList.Add("--size");
        start.ArgumentList.Add(services.ToString(CultureInfo.InvariantCulture));
        var child = new SizeProcess(services, Process.Start(start) ?? throw new InvalidOperationException("the child did not start"));
        ready = child.ReadLine("k8s-ready");
        return child;
    }

    /// <summary>One change; its `k8s-change` line, echoed, with its fields.</summary>
    public IReadOnlyDictionary<string, double> Change()
    {
        _process.StandardInput.WriteLine("change");
        _process.StandardInput.Flush();
        return ReadLine("k8s-change");
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            _process.Kill();
        }
        _process.Dispose();
    }

    private Dictionary<string, double> ReadLine(string expected)
    {
        string line = _process.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException($"the {Services}-service run ended (exit {(_process.WaitForExit(5000) ? _process.ExitCode : -1)}) before its {expected} line");
        Console.WriteLine(line);
        if (!line.StartsWith(expected + " ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the {Services}-service run said \"{line}\", not {expected}");
        }
        return Field().Matches(line).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"(\w+)=([\d.]+)")]
    private static partial Regex Field();
}
