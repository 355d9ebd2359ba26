using System.Globalization;
using System.Text;
using CliWrap.Buffered;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsctl;

/// <summary>
/// Two fresh namespaces side by side: a sequence of command lines runs with the real ipvsadm in one and with
/// ipvsctl in the other, and for every line the two must agree byte for byte (standard output, standard error,
/// exit status), and so must the kernel tables they leave behind, read back after each line with the real ipvsadm.
/// Each sequence runs as one shell script per namespace: under emulation, process start-up is what costs.
/// A <c>--nosort</c> listing prints services in the kernel's hash order, and the kernel mixes each namespace's
/// own address into that hash, so two namespaces legitimately disagree; such a line's standard output is
/// compared with the real ipvsadm run right after it in the same namespace instead. The real ipvsadm's listings
/// are read without the services the kernel echoes into a dump while other namespaces change (<see cref="IpvsadmEchoes"/>).
/// </summary>
public sealed class IpvsadmTwin : IDisposable
{
    private const string Ipvsadm = "/usr/sbin/ipvsadm";
    private readonly TestNamespace _reference = TestNamespace.Create();
    private readonly TestNamespace _candidate = TestNamespace.Create();
    private readonly string _work = Directory.CreateTempSubdirectory("ipvsadm-twin-").FullName;
    private int _sequence;

    private static string IpvsctlPath => IpvsctlBinary.Path;

    /// <summary>Runs one line (words separated by spaces), optionally with standard input, in both and compares.</summary>
    public void Check(string line, string? stdin = null) => CheckAll([(line, stdin)]);

    /// <summary>Runs the lines in order in both namespaces and compares each line's results and the tables after it.</summary>
    public void CheckAll(IReadOnlyList<(string Line, string? Stdin)> lines)
    {
        string run = Path.Combine(_work, (++_sequence).ToString(CultureInfo.InvariantCulture));
        string expected = RunScript(_reference, Ipvsadm, lines, run + "-ipvsadm");
        string actual = RunScript(_candidate, IpvsctlPath, lines, run + "-ipvsctl");
        var differences = new List<string>();
        for (int i = 0; i < lines.Count; i++)
        {
            string what = $"line {i + 1}, `ipvsadm {lines[i].Line}`";
            foreach ((string suffix, string description) in new[] { ("out", "standard output"), ("err", "standard error"), ("rc", "exit status"), ("table", "table after it (ipvsadm -Sn)") })
            {
                bool listing = suffix is "out" or "table";
                string want = suffix == "out" && InKernelOrder(lines[i].Line)
                    ? Read(actual, i, "same-namespace-out", Ipvsadm, collapseEchoes: true)
                    : Read(expected, i, suffix, Ipvsadm, collapseEchoes: listing);
                // The table is read by the real ipvsadm in both namespaces; ipvsctl's own output is taken as printed.
                string got = Read(actual, i, suffix, IpvsctlPath, collapseEchoes: suffix == "table");
                if (want != got)
                {
                    differences.Add($"{what}: {description} differs\n--- ipvsadm\n{want}\n--- ipvsctl\n{got}");
                }
            }
        }
        Assert.True(differences.Count == 0, $"{differences.Count} difference(s):\n" + string.Join("\n", differences.Take(12)));
    }

    /// <summary>Runs a setup line with the real ipvsadm in both namespaces (when the test is about reading).</summary>
    public void SetUpBoth(string line)
    {
        string[] args = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (TestNamespace ns in new[] { _reference, _candidate })
        {
            BufferedCommandResult result = ns.TryExec(null, Ipvsadm, args);
            Assert.True(result.ExitCode == 0, $"setup `ipvsadm {line}` failed: {result.StandardError}");
        }
    }

    /// <summary>The reference namespace's table saved by the real ipvsadm.</summary>
    public string SaveReference() => IpvsadmEchoes.Collapse(_reference.TryExec(null, Ipvsadm, "-Sn").StandardOutput);

    private static string RunScript(TestNamespace ns, string program, IReadOnlyList<(string Line, string? Stdin)> lines, string directory)
    {
        Directory.CreateDirectory(directory);
        var script = new StringBuilder("#!/bin/bash\ncd " + Quote(directory) + "\n");
        for (int i = 0; i < lines.Count; i++)
        {
            string input = "/dev/null";
            if (lines[i].Stdin is { } stdin)
            {
                input = Path.Combine(directory, $"{i}.in");
                File.WriteAllText(input, stdin);
            }
            script.Append(Quote(program)).Append(' ').Append(QuoteWords(lines[i].Line));
            script.Append(CultureInfo.InvariantCulture, $" <{Quote(input)} >{i}.out 2>{i}.err; echo $? >{i}.rc; {Ipvsadm} -Sn >{i}.table 2>&1\n");
            if (InKernelOrder(lines[i].Line))
            {
                script.Append(CultureInfo.InvariantCulture, $"{Ipvsadm} {QuoteWords(lines[i].Line)} <{Quote(input)} >{i}.same-namespace-out 2>/dev/null\n");
            }
        }
        string path = Path.Combine(directory, "run.sh");
        File.WriteAllText(path, script.ToString());
        BufferedCommandResult result = ns.TryExec(null, "/bin/bash", path);
        Assert.True(result.ExitCode == 0, $"the script in {directory} failed: {result.StandardError}");
        return directory;
    }

    private static string Read(string directory, int line, string suffix, string program, bool collapseEchoes)
    {
        string text = File.ReadAllText(Path.Combine(directory, $"{line}.{suffix}")).Replace(program, "PROGRAM", StringComparison.Ordinal);
        return collapseEchoes ? IpvsadmEchoes.Collapse(text) : text;
    }

    /// <summary>Whether the line lists in the kernel's own order, which differs from namespace to namespace.</summary>
    private static bool InKernelOrder(string line) => line.Contains("--nosort", StringComparison.Ordinal);

    private static string QuoteWords(string line) =>
        string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Quote));

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public void Dispose()
    {
        _reference.Dispose();
        _candidate.Dispose();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
