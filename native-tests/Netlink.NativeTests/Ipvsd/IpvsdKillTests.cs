using System.Globalization;
using CliWrap.Buffered;
using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;
using Netlink.NativeTests.IpvsCore;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>
/// kill -9 of ipvsd in the middle of its first sync of 10,000 services, then a start that must converge exactly.
/// Its table is read in many dump datagrams, which changes in other namespaces would disturb (see
/// <see cref="KernelWideIpvsTable"/>), so it runs alone.
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
[Collection(nameof(KernelWideIpvsTable))]
public sealed class IpvsdKillTests
{
    [Fact]
    public void KilledDuringTheFirstSyncOf10000Services_StartsAgainAndConvergesExactly()
    {
        const int Services = 10_000;
        const int Dests = 2; // enough to kill it between the services and the last real servers; 10 would triple the VM time
        using var node = new IpvsdNode("metrics-address: off\nhealth-address: off\n");
        var text = new System.Text.StringBuilder("services:\n");
        for (int i = 0; i < Services; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - address: tcp://{Vip(i)}:80\n    destinations:\n");
            for (int d = 0; d < Dests; d++)
            {
                text.Append(CultureInfo.InvariantCulture, $"      - {{ address: 198.19.{d}.{(i % 250) + 1}:8080, forward: nat }}\n");
            }
        }
        node.WriteServices("many.yaml", text.ToString());
        using IpvsClient ipvs = node.OpenIpvs();
        // The plan adds every service, then every real server; one GET and one small dump are cheap enough to poll
        // closely: kill once the real servers of a tenth of the services are in
        VirtualServiceKey tenth = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, System.Net.IPAddress.Parse(Vip(Services / 10)), 80);
        using (IpvsdProcess daemon = node.Start())
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (ipvs.GetService(tenth) is null || ipvs.ListRealServers(tenth).Count == 0)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(300), daemon.Log);
                Thread.Sleep(10);
            }
            daemon.Signal("KILL");
            daemon.WaitForExit(TimeSpan.FromSeconds(10));
        }
        int partial = ipvs.GetTable().Sum(e => e.RealServers.Count);
        Assert.InRange(partial, Services / 10 * Dests, (Services * Dests) - 1); // cut short: at least the first tenth's, not all

        BufferedCommandResult again = node.Run("--once"); // exits 0 only when the node then matches exactly
        Assert.True(again.ExitCode == 0, again.StandardOutput + again.StandardError);
        IReadOnlyList<IpvsServiceEntry> table = ipvs.GetTable();
        Assert.Equal(Services, table.Count);
        Assert.All(table, e => Assert.Equal(Dests, e.RealServers.Count));
        Assert.Equal(Services, File.ReadAllLines(Path.Combine(node.StateDirectory, "services")).Count(l => l.StartsWith("tcp://", StringComparison.Ordinal)));
    }

    private static string Vip(int i) => string.Create(CultureInfo.InvariantCulture, $"198.18.{i / 250}.{(i % 250) + 1}");

}
