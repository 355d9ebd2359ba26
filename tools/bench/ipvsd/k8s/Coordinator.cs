using System.Globalization;

namespace K8sBench;

/// <summary>
/// Runs each size in its own process, first syncs one after the other, then the changes alternating between the sizes
/// (which one goes first alternates too), so both meet the same load on a shared machine; prints the figures.
/// </summary>
internal static class Coordinator
{
    public static int Run(int[] sizes, int changes, int warmUp)
    {
        var children = new List<SizeProcess>();
        var first = new Dictionary<int, double>();
        var latency = sizes.ToDictionary(s => s, _ => new List<double>());
        var sync = sizes.ToDictionary(s => s, _ => new List<double>());
        try
        {
            foreach (int size in sizes)
            {
                children.Add(SizeProcess.Start(size, out IReadOnlyDictionary<string, double> ready));
                first[size] = ready["first_sync_s"];
            }
            for (int round = 0; round < warmUp + changes; round++)
            {
                IEnumerable<SizeProcess> order = round % 2 == 0 ? children : Enumerable.Reverse(children);
                foreach (SizeProcess child in order)
                {
                    IReadOnlyDictionary<string, double> change = child.Change();
                    if (round >= warmUp)
                    {
                        latency[child.Services].Add(change["latency_ms"]);
                        sync[child.Services].Add(change["sync_ms"]);
                    }
                }
            }
        }
        finally
        {
            foreach (SizeProcess child in children)
            {
                child.Dispose();
            }
        }
        Report(sizes, changes, warmUp, first, latency, sync);
        return 0;
    }

    private static void Report(int[] sizes, int changes, int warmUp, Dictionary<int, double> first, Dictionary<int, List<double>> latency, Dictionary<int, List<double>> sync)
    {
        int small = sizes.Min();
        int large = sizes.Max();
        Console.WriteLine(Invariant($"k8s: N Services x {Fleet.EndpointsPerService} endpoints through the test API server into the in-memory kernel; one EndpointSlice change, PUT to kernel: {changes} per size after {warmUp} warm-up, sizes alternating"));
        Console.WriteLine($"{"figure",-42} {"median",9}  {"min-max",-17} {"n",3}");
        foreach (int size in sizes)
        {
            Row(Invariant($"k8s first sync, {size:N0} services, s"), [first[size]], 3);
        }
        foreach (int size in sizes)
        {
            Row(Invariant($"k8s change to kernel, {size:N0} services, ms"), latency[size], 2);
        }
        foreach (int size in sizes)
        {
            Row(Invariant($"  its incremental sync, {size:N0}, ms"), sync[size], 2);
        }
        double ratio = Median(latency[large]) / Median(latency[small]);
        List<double> pairs = [.. latency[large].Zip(latency[small], (l, s) => l / s)];
        Console.WriteLine($"{"ratio (of the medians)",-42} {"value",9}  {"pair by pair",-17} {"target",6}");
        Console.WriteLine(Invariant($"{"k8s_one_change_10k_vs_100",-42} {ratio,9:F2}  {Spread(pairs, 2),-17} <= 2.0 {(ratio <= 2 ? "met" : "MISSED")}"));
        Console.WriteLine(Invariant($"k8s-bench services={large} dests={Fleet.EndpointsPerService} k8s_first_sync_10k_s={first[large]:F2} k8s_one_change_10k_vs_100={ratio:F2}"));
    }

    private static void Row(string label, List<double> values, int digits) =>
        Console.WriteLine(Invariant($"{label,-42} {Median(values).ToString("F" + digits, CultureInfo.InvariantCulture),9}  {Spread(values, digits),-17} {values.Count,3}"));

    private static double Median(List<double> values)
    {
        List<double> sorted = [.. values.Order()];
        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Spread(List<double> values, int digits) =>
        $"{values.Min().ToString("F" + digits, CultureInfo.InvariantCulture)}-{values.Max().ToString("F" + digits, CultureInfo.InvariantCulture)}";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
