using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsctl.Declarative;

/// <summary>
/// The seed scenario on a real kernel with ipvsctl: the example model (the one ipvsd's demo reads) applied in the
/// node, real HTTP from the client spread by rr, then persistence pinning the client. Also proves, through IPVS, the
/// held connections and UDP exchanges that the daemon's drain and conntrack tests rely on.
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class SeedScenarioTests(SeedScenarioNetwork seed) : IClassFixture<SeedScenarioNetwork>, IDisposable
{
    private static readonly string Url = $"http://{SeedScenarioNetwork.VirtualIp}/";

    private readonly string _scratch = Directory.CreateTempSubdirectory("seed-").FullName;

    private PodNetwork Network => seed.Network;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void SeedModel_SpreadsNineRequestsThreeEach_ThenPersistencePinsTheClientToOnePod()
    {
        IpvsctlProcess.Ok(Network.Node, null, "apply", "-f", SeedScenarioNetwork.SeedModel);
        Assert.Equal(
            [
                "-A -t 198.18.97.97:80 -s rr",
                "-a -t 198.18.97.97:80 -r 198.19.1.2:80 -m -w 1",
                "-a -t 198.18.97.97:80 -r 198.19.2.2:80 -m -w 1",
                "-a -t 198.18.97.97:80 -r 198.19.3.2:80 -m -w 1",
            ],
            IpvsctlProcess.Saved(Network.Node));
        Assert.Equal("pod1=3 pod2=3 pod3=3", Spread(Network.GetEach(Url, 9)));

        IpvsctlProcess.Ok(Network.Node, null, "apply", "-f", WithPersistence(300));
        Assert.Contains("-A -t 198.18.97.97:80 -s rr -p 300", IpvsctlProcess.Saved(Network.Node));
        IReadOnlyList<string> pinned = Network.GetEach(Url, 6);
        Assert.True(pinned.Distinct().Count() == 1, $"with persistence the client should stay on one pod: {Spread(pinned)}");
        Assert.Contains(pinned[0], Network.Pods.Select(p => p.Name));
    }

    [Fact]
    public void HeldConnection_IsActiveOnThePodThatAnswered_UntilReleased_AndUdpFlowsStayOnOnePod()
    {
        File.WriteAllText(Path.Combine(_scratch, "tcp-udp.yaml"), File.ReadAllText(SeedScenarioNetwork.SeedModel) + """
              - address: udp://198.18.97.97:5353
                sched: rr
                destinations:
                  - { address: 198.19.1.2:5353, weight: 1, forward: nat }
                  - { address: 198.19.2.2:5353, weight: 1, forward: nat }
                  - { address: 198.19.3.2:5353, weight: 1, forward: nat }

            """);
        IpvsctlProcess.Ok(Network.Node, null, "apply", "-f", Path.Combine(_scratch, "tcp-udp.yaml"));
        using IpvsClient ipvs = IpvsClient.Open(new IpvsClientOptions { Namespace = Network.Node.Namespace });
        var http = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, SeedScenarioNetwork.VirtualIp, 80);

        Pod holder;
        using (HeldConnection held = Network.Hold(SeedScenarioNetwork.VirtualIp))
        {
            holder = Network.Pods.Single(p => p.Name == held.Pod);
            Assert.Equal(1u, ipvs.ListRealServers(http).Single(s => s.Settings.Address.Equals(holder.Address)).ActiveConnections);
        }
        // The reset crosses the node in a softirq of its own, so the count may lag this thread by a moment.
        ObservedRealServer released = ipvs.ListRealServers(http).Single(s => s.Settings.Address.Equals(holder.Address));
        for (int wait = 0; wait < 50 && released.ActiveConnections != 0; wait++)
        {
            Thread.Sleep(100);
            released = ipvs.ListRealServers(http).Single(s => s.Settings.Address.Equals(holder.Address));
        }
        Assert.True(released.ActiveConnections == 0, $"{holder.Name} still counts {released.ActiveConnections} active connections 5 s after the reset");

        foreach (Pod pod in Network.Pods)
        {
            pod.StartUdpResponder(5353);
        }
        try
        {
            string first = Answerer(Network.ExchangeUdpWithRetries(SeedScenarioNetwork.VirtualIp, 5353, "one", sourcePort: 40000));
            Assert.Equal(first, Answerer(Network.ExchangeUdpWithRetries(SeedScenarioNetwork.VirtualIp, 5353, "two", sourcePort: 40000)));
            string[] others =
            [
                Answerer(Network.ExchangeUdpWithRetries(SeedScenarioNetwork.VirtualIp, 5353, "three", sourcePort: 40001)),
                Answerer(Network.ExchangeUdpWithRetries(SeedScenarioNetwork.VirtualIp, 5353, "four", sourcePort: 40002)),
            ];
            Assert.Equal(["pod1", "pod2", "pod3"], others.Append(first).Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (Pod pod in Network.Pods)
            {
                pod.StopUdpResponder(5353);
            }
        }
    }

    /// <summary>"pod1=3 pod2=3 pod3=3": how many answers came from each pod, every pod named.</summary>
    private string Spread(IEnumerable<string> bodies)
    {
        Dictionary<string, int> counts = Network.Pods.ToDictionary(p => p.Name, _ => 0);
        foreach (string body in bodies)
        {
            counts[body] = counts.GetValueOrDefault(body) + 1;
        }
        return string.Join(' ', counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
    }

    /// <summary>The seed model with "persistent: SECONDS" added to its service, written to a file of its own.</summary>
    private string WithPersistence(int seconds)
    {
        string seed = File.ReadAllText(SeedScenarioNetwork.SeedModel);
        const string Scheduler = "    sched: rr\n";
        Assert.Contains(Scheduler, seed);
        string path = Path.Combine(_scratch, "persistent.yaml");
        File.WriteAllText(path, seed.Replace(Scheduler, $"{Scheduler}    persistent: {seconds}\n", StringComparison.Ordinal));
        return path;
    }

    private static string Answerer(string? reply)
    {
        Assert.True(reply is not null, "no UDP answer through the virtual IP to any of 3 datagrams, 3 s each");
        return reply.Split(' ')[0];
    }
}
