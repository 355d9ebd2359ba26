using System.Globalization;
using System.Text;
using CliWrap.Buffered;
using Netlink.NativeTests.Infrastructure;
using Netlink.NativeTests.IpvsCore;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>
/// ipvsd serving (a full resync every 2 s) while another writer, ipvsadm, changes the same kernel table: it deletes,
/// re-weights and adds to ipvsd's services, and adds, edits and deletes services of its own. ipvsd must repair its own
/// while the writer runs, converge within a couple of sync periods after it stops, and never touch the others.
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
[Collection(nameof(KernelWideIpvsTable))] // alone: its timing bounds (two sync periods) assume a VM that other tests are not keeping busy
public sealed class IpvsdConcurrentWriterTests(ITestOutputHelper output)
{
    private const int Owned = 10;
    private const int Foreign = 4;
    private static readonly TimeSpan SyncPeriod = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WriterRuns = TimeSpan.FromSeconds(15);

    [Fact]
    public void AnotherWriterChangingTheTable_IsRepairedOnOwnedServices_AndLeftAloneOnItsOwn()
    {
        int seed = Random.Shared.Next();
        var random = new Random(seed);
        using var node = new IpvsdNode($"sync-period: {SyncPeriod.TotalSeconds:0}s\nmin-sync-period: 100ms\n");
        node.WriteServices("owned.yaml", OwnedYaml());
        using IpvsdProcess daemon = node.Start();
        daemon.WaitForLine("ready:", TimeSpan.FromSeconds(60));
        string desired = string.Concat(Enumerable.Range(0, Owned).Select(OwnedVip).Order(StringComparer.Ordinal).Select(vip =>
            $"TCP {vip} rr\n  -> 198.19.60.{vip[10..^3]}:80 Masq 1\n  -> 198.19.63.{vip[10..^3]}:80 Masq 2\n"));
        Assert.Equal(desired, IpvsadmTable.Render(IpvsadmTable.Parse(node.QuickRows()), IsOwned));

        // The writer's own services as it last left them: "198.18.61.1:80" to real server to weight.
        var foreign = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        var done = new StringBuilder();
        Exception? failed = null;
        int before = daemon.LineCount;
        var writer = new Thread(() =>
        {
            try
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                // Round the six kinds of change, so each is made several times; targets and weights are random.
                for (int step = 0; clock.Elapsed < WriterRuns; step++)
                {
                    done.Append(Change(node, random, step % 6, foreign)).Append('\n');
                    Thread.Sleep(100);
                }
            }
            catch (Exception e)
            {
                failed = e;
            }
        })
        { IsBackground = true };
        writer.Start();
        writer.Join();
        int during = daemon.LineCount;
        string context = $"[seed {seed}] writer's changes:\n{done}\nipvsd's log:\n{daemon.Log}";
        Assert.True(failed is null, $"{failed}\n{context}");
        Assert.False(daemon.HasExited, context);

        // Repaired while the writer ran: full syncs that found drift and said what they changed.
        string[] repairs = [.. daemon.Log.Split('\n').Skip(before).Take(during - before).Where(l => l.Contains("drift repaired", StringComparison.Ordinal) && !l.Contains("drift repaired 0", StringComparison.Ordinal))];
        Assert.True(repairs.Length >= 2, $"no repairs while the writer ran: {context}");
        foreach (string kind in new[] { "AddService", "UpdateRealServer", "DeleteRealServer" })
        {
            Assert.True(repairs.Any(l => l.Contains(kind, StringComparison.Ordinal)), $"no {kind} among the repairs:\n{string.Join('\n', repairs)}\n{context}");
        }

        // After it stops: ipvsd's services as desired within two sync periods (and the time a VM takes to look),
        // the writer's exactly as it left them, and both still so after two more full syncs.
        string expectedForeign = ForeignRows(foreign);
        var stopped = System.Diagnostics.Stopwatch.StartNew();
        IpvsdNode.Eventually(() => IpvsadmTable.Render(IpvsadmTable.Parse(node.QuickRows()), IsOwned) == desired,
            (2 * SyncPeriod) + TimeSpan.FromSeconds(6), () => $"owned services not converged:\n{node.QuickRows()}\n{context}");
        output.WriteLine($"[seed {seed}] {done.ToString().Split('\n').Length - 1} changes by ipvsadm in {WriterRuns.TotalSeconds:0} s; {repairs.Length} syncs repaired drift while it ran; converged {stopped.Elapsed.TotalSeconds:0.0} s after it stopped");
        Thread.Sleep(2 * SyncPeriod);
        SortedDictionary<string, SortedSet<string>> final = IpvsadmTable.Parse(node.QuickRows());
        Assert.Equal(desired, IpvsadmTable.Render(final, IsOwned));
        Assert.Equal(expectedForeign, IpvsadmTable.Render(final, s => !IsOwned(s)));

        // No crash and nothing unexpected logged: a sync may fail when the writer changes a service under it (that
        // is handled: logged, and the next sync reads the kernel whole), but nothing else may be an error.
        string[] errors = [.. daemon.Log.Split('\n').Where(l => l.Contains("fail:", StringComparison.Ordinal) || l.Contains("crit:", StringComparison.Ordinal) || l.Contains("Unhandled", StringComparison.Ordinal))];
        Assert.True(errors.All(l => l.Contains("failed after", StringComparison.Ordinal) && l.Contains("the next sync reads the kernel whole", StringComparison.Ordinal)), context);
        Assert.Equal(0, daemon.Stop());
    }

    private static bool IsOwned(string service) => service.StartsWith("198.18.60.", StringComparison.Ordinal);

    private static string OwnedVip(int n) => string.Create(CultureInfo.InvariantCulture, $"198.18.60.{n + 1}:80");

    private static string OwnedYaml() => "services:\n" + string.Concat(Enumerable.Range(0, Owned).Select(n => string.Create(CultureInfo.InvariantCulture,
        $"  - address: tcp://{OwnedVip(n)}\n    sched: rr\n    destinations:\n      - {{ address: 198.19.60.{n + 1}:80, forward: nat, weight: 1 }}\n      - {{ address: 198.19.63.{n + 1}:80, forward: nat, weight: 2 }}\n")));

    /// <summary>
    /// One change by ipvsadm; returns what it did. Changes to ipvsd's services may race ipvsd's repairs and fail (a
    /// weight edited on a service it deleted a moment ago), which is fine; changes to the writer's own must succeed,
    /// because ipvsd never touches them.
    /// </summary>
    private static string Change(IpvsdNode node, Random random, int kind, SortedDictionary<string, SortedDictionary<string, int>> foreign)
    {
        int n = random.Next(Owned);
        string vip = OwnedVip(n);
        string fvip = string.Create(CultureInfo.InvariantCulture, $"198.18.61.{random.Next(Foreign) + 1}:80");
        string server = string.Create(CultureInfo.InvariantCulture, $"198.19.61.{random.Next(3) + 1}:80");
        int weight = random.Next(1, 10);
        string w = weight.ToString(CultureInfo.InvariantCulture);
        bool own = kind >= 3;
        string[] arguments;
        if (kind == 0)
        {
            arguments = ["-D", "-t", vip];
        }
        else if (kind == 1)
        {
            arguments = ["-e", "-t", vip, "-r", string.Create(CultureInfo.InvariantCulture, $"198.19.60.{n + 1}:80"), "-m", "-w", "7"];
        }
        else if (kind == 2)
        {
            arguments = ["-a", "-t", vip, "-r", string.Create(CultureInfo.InvariantCulture, $"198.19.62.{n + 1}:80"), "-m"];
        }
        else if (kind == 5)
        {
            if (!foreign.Remove(fvip))
            {
                return $"(no {fvip} of its own to delete)";
            }
            arguments = ["-D", "-t", fvip];
        }
        else if (!foreign.TryGetValue(fvip, out SortedDictionary<string, int>? servers))
        {
            arguments = ["-A", "-t", fvip, "-s", "wlc"];
            foreign[fvip] = new SortedDictionary<string, int>(StringComparer.Ordinal);
        }
        else
        {
            arguments = [servers.ContainsKey(server) ? "-e" : "-a", "-t", fvip, "-r", server, "-m", "-w", w];
            servers[server] = weight;
        }
        BufferedCommandResult result = node.QuickIpvsadm(arguments);
        Assert.True(!own || result.ExitCode == 0, $"ipvsadm {string.Join(' ', arguments)} on the writer's own service failed: {result.StandardError}");
        return $"ipvsadm {string.Join(' ', arguments)} -> {result.ExitCode}";
    }

    /// <summary>The writer's services as <see cref="IpvsadmTable.Render"/> shows them.</summary>
    private static string ForeignRows(SortedDictionary<string, SortedDictionary<string, int>> foreign)
    {
        var table = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach ((string vip, SortedDictionary<string, int> servers) in foreign)
        {
            table[$"TCP {vip} wlc"] = new SortedSet<string>(servers.Select(s => string.Create(CultureInfo.InvariantCulture, $"-> {s.Key} Masq {s.Value}")), StringComparer.Ordinal);
        }
        return IpvsadmTable.Render(table, _ => true);
    }
}
