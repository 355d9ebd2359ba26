using System.Globalization;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>One look at a running process's resources in /proc: open descriptors, threads, resident memory.</summary>
internal sealed record ProcessSample(TimeSpan At, int Descriptors, int Threads, long ResidentKiB, double ChangesApplied)
{
    /// <summary>Reads /proc/<paramref name="pid"/> (the test runs as root in the same PID namespace).</summary>
    public static ProcessSample Take(int pid, TimeSpan at, double changesApplied)
    {
        int descriptors = Directory.GetFiles($"/proc/{pid}/fd").Length;
        string[] status = File.ReadAllLines($"/proc/{pid}/status");
        long Field(string name) => long.Parse(status.First(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return new ProcessSample(at, descriptors, (int)Field("Threads"), Field("VmRSS"), changesApplied);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"t={At.TotalSeconds,6:0.0} s  fd {Descriptors,3}  threads {Threads,3}  RSS {ResidentKiB / 1024.0,6:0.0} MiB  IPVS changes applied {ChangesApplied,7:0}");

    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
