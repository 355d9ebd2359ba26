using System.Diagnostics;
using System.Globalization;
using CliWrap.Buffered;
using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;
using Netlink.NativeTests.IpvsCore;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>
/// kill -9 of ipvsd ten times at random points of large syncs (see <see cref="ManyServices"/>): while it adds 10,000
/// services, their real servers, their virtual IPs, and while it changes a converged table into another (the file
/// rewritten under it, then restarts); every start after a kill must carry on from what the kernel holds, and the last
/// converges exactly. Each start reads the 10,000-service file again (~15-20 s in the VM), which is most of the cost. The points are drawn from a
/// seeded Random whose seed every message carries (IPVSD_KILL_SEED=N replays the same draws). Its table is read in
/// many dump datagrams, which changes in other namespaces would disturb (see <see cref="KernelWideIpvsTable"/>), so it
/// runs alone.
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
[Collection(nameof(KernelWideIpvsTable))]
public sealed class IpvsdKillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(300);

    [Fact]
    public void KilledTenTimesAtRandomPointsOfLargeSyncs_EveryStartCarriesOn_AndTheTableEndsExactlyAsDesired()
    {
        int seed = Environment.GetEnvironmentVariable("IPVSD_KILL_SEED") is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var random = new Random(seed);
        string replay = $"[IPVSD_KILL_SEED={seed}]";
        output.WriteLine($"kill points drawn with {replay}");
        using var node = new IpvsdNode("metrics-address: off\nhealth-address: off\n");
        using IpvsClient ipvs = node.OpenIpvs();
        var clock = Stopwatch.StartNew();
        int kills = 0;

        // Starts ipvsd (by nsenter: ten starts cost a VM seconds each by ip netns exec), or takes the one running, and
        // kills it (kill -9) at a random point: when a drawn service not yet as the version wants appears (Appears) or
        // becomes so (Matches), or a drawn time into the sync (Time: the first sync of a start begins after "Hosting
        // starting", a serving daemon's after it read the changed file). A draw finding every service as wanted
        // (the services and real servers are in; the virtual IPs and rules are what is left) falls back to Time.
        void Kill(IpvsdProcess? running, int version, Point point, double window = 10)
        {
            int i = point == Point.Time ? -1 : Draw(random, ipvs, version, point == Point.Appears);
            string want = i < 0 ? "" : point == Point.Appears ? "exists" : $"is {ManyServices.RealServers(i, version) ?? "deleted"}";
            int from = running?.LineCount ?? 0;
            using IpvsdProcess daemon = running ?? node.StartEntered();
            var waited = Stopwatch.StartNew();
            string at;
            if (i >= 0)
            {
                while (!(point == Point.Appears ? ipvs.GetService(ManyServices.Key(i)) is not null : ManyServices.Now(ipvs, i) == ManyServices.RealServers(i, version)))
                {
                    Assert.False(daemon.HasExited, $"kill {kills + 1} {replay}: ipvsd exited before service {i} {want}:\n{daemon.Log}");
                    Assert.True(waited.Elapsed < Patience, $"kill {kills + 1} {replay}: service {i} never {want}:\n{daemon.Log}");
                    Thread.Sleep(2);
                }
                at = $"when service {i} {want}";
            }
            else
            {
                daemon.WaitForLine(running is null ? "Hosting starting" : "desired table changed", Patience, from);
                double seconds = random.NextDouble() * window;
                Thread.Sleep(TimeSpan.FromSeconds(seconds));
                at = $"{seconds:0.0} s into the sync";
            }
            Assert.False(daemon.HasExited, $"kill {kills + 1} {replay}: ipvsd exited before the kill:\n{daemon.Log}");
            bool synced = daemon.Log.Split('\n').Skip(from).Any(l => l.Contains("ready:", StringComparison.Ordinal) || l.Contains("sync incremental", StringComparison.Ordinal));
            daemon.KillNow();
            int status = daemon.WaitForExit(TimeSpan.FromSeconds(10));
            kills++;
            Assert.True(status == 137, $"kill {kills} {replay}: ipvsd exited {status}, not by the KILL:\n{daemon.Log}");
            Assert.DoesNotContain("fail:", daemon.Log, StringComparison.Ordinal);
            // Ownership is recorded before the kernel is changed: every service in the kernel is in the record,
            // however the run ended, or a later model that drops it would leave it behind as someone else's.
            IReadOnlyList<ObservedVirtualService> inKernel = ipvs.ListServices();
            HashSet<string> owned = Owned(node);
            Assert.True(inKernel.All(s => owned.Contains(Line(s.Key))),
                $"kill {kills} {replay}: in the kernel but not in the state file: {string.Join(' ', inKernel.Select(s => Line(s.Key)).Where(l => !owned.Contains(l)).Take(5))}");
            output.WriteLine($"kill {kills} at {clock.Elapsed.TotalSeconds:0.0} s: version {version}, {at} ({waited.Elapsed.TotalSeconds:0.0} s after the start or the file change; the sync had {(synced ? "" : "not ")}finished); {inKernel.Count} services in the kernel");
        }

        // The first sync of version 0 on an empty node: among the service adds, among the real server adds, at a time.
        node.WriteServices("many.yaml", ManyServices.Yaml(0));
        Kill(null, 0, Point.Appears);
        Kill(null, 0, Point.Matches);
        Kill(null, 0, Point.Time, window: 20);

        // Converged once; then a changing sync (the file rewritten under the serving daemon) killed, and resumed by
        // starts that are themselves killed; then back to version 0 and forth to 1 again, each killed on its way.
        using (IpvsdProcess serving = node.StartEntered())
        {
            string ready = serving.WaitForLine("ready:", Patience);
            Assert.True(ready.Contains($"ready: {ManyServices.Base} services, {2 * ManyServices.Base} real servers", StringComparison.Ordinal)
                && ready.Contains("(in sync)", StringComparison.Ordinal), $"{replay}: {ready}\n{serving.Log}");
            output.WriteLine($"converged at {clock.Elapsed.TotalSeconds:0.0} s: {ready}");
            node.WriteServices("many.yaml", ManyServices.Yaml(1));
            Kill(serving, 1, Point.Matches);
        }
        Kill(null, 1, Point.Time);
        Kill(null, 1, Point.Matches);
        node.WriteServices("many.yaml", ManyServices.Yaml(0));
        Kill(null, 0, Point.Matches);
        Kill(null, 0, Point.Time);
        node.WriteServices("many.yaml", ManyServices.Yaml(1));
        Kill(null, 1, Point.Matches);
        Kill(null, 1, Point.Time);
        Assert.Equal(10, kills);

        BufferedCommandResult last = node.Run("--once"); // exits 0 only when the node then matches exactly
        Assert.True(last.ExitCode == 0, $"{replay}: {last.StandardOutput}{last.StandardError}");
        output.WriteLine($"--once converged at {clock.Elapsed.TotalSeconds:0.0} s: {last.StandardOutput.Trim()}");
        SortedDictionary<string, string> desired = ManyServices.Desired(1);
        SortedDictionary<string, string> observed = ManyServices.Observed(ipvs.GetTable());
        Assert.True(desired.Count == observed.Count && desired.All(d => observed.TryGetValue(d.Key, out string? o) && o == d.Value),
            $"{replay}: {desired.Count} services desired, {observed.Count} in the kernel; first differences: "
            + string.Join("; ", desired.Keys.Union(observed.Keys).Where(k => desired.GetValueOrDefault(k) != observed.GetValueOrDefault(k)).Take(5)
                .Select(k => $"{k} desired {desired.GetValueOrDefault(k) ?? "absent"}, kernel {observed.GetValueOrDefault(k) ?? "absent"}")));
        Assert.Equal(desired.Keys.Select(k => "tcp://" + k).Order(StringComparer.Ordinal), Owned(node).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A service whose kernel state differs from what <paramref name="version"/> wants (with <paramref name="appears"/>:
    /// one not yet in the kernel at all); -1 when a thousand draws found none.
    /// </summary>
    private static int Draw(Random random, IpvsClient ipvs, int version, bool appears)
    {
        for (int tries = 0; tries < 1000; tries++)
        {
            int i = random.Next(ManyServices.All);
            string? wanted = ManyServices.RealServers(i, version);
            bool differs = appears
                ? wanted is not null && ipvs.GetService(ManyServices.Key(i)) is null
                : ManyServices.Now(ipvs, i) != wanted;
            if (differs)
            {
                return i;
            }
        }
        return -1;
    }

    private enum Point
    {
        Appears,
        Matches,
        Time,
    }

    private static string Line(VirtualServiceKey key) => $"tcp://{key.Address}:{key.Port}";

    /// <summary>The services the state file records as ipvsd's.</summary>
    private static HashSet<string> Owned(IpvsdNode node)
    {
        string path = Path.Combine(node.StateDirectory, "services");
        return File.Exists(path)
            ? [.. File.ReadAllLines(path).Where(l => l.StartsWith("tcp://", StringComparison.Ordinal))]
            : [];
    }
}
