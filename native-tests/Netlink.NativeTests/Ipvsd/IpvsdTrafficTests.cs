using System.Globalization;
using System.Net;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>
/// ipvsd serving the seed scenario with real traffic (the VM): a client, a node running ipvsd and three pods in
/// network namespaces. Spread and affinity, drain with a held connection, UDP conntrack cleanup, a restart under an
/// established connection, and health checks taking a stopped pod out and back.
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class IpvsdTrafficTests(PodNetwork net) : IClassFixture<PodNetwork>
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(60);
    private static readonly IPAddress Vip = IPAddress.Parse(SeedServices.Vip);
    private const string Url = "http://198.18.97.97/";

    private string[] PodAddresses => [.. net.Pods.Select(p => p.Address.ToString())];

    private IpvsdNode Node(string settings = "") => new("min-sync-period: 200ms\n" + settings, net.Node);

    private static IpvsdProcess Started(IpvsdNode node)
    {
        IpvsdProcess daemon = node.Start();
        daemon.WaitForLine("ready:", Slow);
        return daemon;
    }

    [Fact]
    public void SeedService_SpreadsRequestsEvenly_ThenPersistencePinsTheClient()
    {
        using IpvsdNode node = Node();
        node.WriteServices("web.yaml", SeedServices.Web(PodAddresses));
        using IpvsdProcess daemon = Started(node);
        IReadOnlyList<string> spread = net.GetEach(Url, 9);
        Assert.Equal(["pod1", "pod2", "pod3"], spread.Distinct().Order(StringComparer.Ordinal));
        Assert.All(spread.GroupBy(b => b), g => Assert.Equal(3, g.Count()));

        node.WriteServices("web.yaml", SeedServices.WebWith("    persistent: 300\n", PodAddresses));
        IpvsdNode.Eventually(() => node.Ipvsadm().StartsWith("TCP 198.18.97.97:80 rr persistent 300", StringComparison.Ordinal), TimeSpan.FromSeconds(10), () => node.Ipvsadm() + daemon.Log);
        Assert.Single(net.GetEach(Url, 6).Distinct());
    }

    [Fact]
    public void RemovedRealServer_DrainsAtWeightZeroWhileItsConnectionLives_ThenGoes()
    {
        using IpvsdNode node = Node("drain-timeout: 10m\n");
        node.WriteServices("web.yaml", SeedServices.Web(PodAddresses));
        using IpvsdProcess daemon = Started(node);
        HeldConnection held = net.Hold(Vip);
        string drained = net.Pods.Single(p => p.Name == held.Pod).Address.ToString();
        try
        {
            node.WriteServices("web.yaml", SeedServices.Web([.. PodAddresses.Where(a => a != drained)]));
            string draining = $"-> {drained}:80 Masq 0\n";
            IpvsdNode.Eventually(() => node.Ipvsadm().Contains(draining, StringComparison.Ordinal), TimeSpan.FromSeconds(10), () => node.Ipvsadm() + daemon.Log);
            daemon.WaitForLine($"real server {drained}:80 of TCP 198.18.97.97:80 draining at weight 0 (1 connections)", TimeSpan.FromSeconds(5));

            Thread.Sleep(TimeSpan.FromSeconds(6)); // past a drain check: still there while the connection lives
            Assert.Contains(draining, node.Ipvsadm(), StringComparison.Ordinal);
            Assert.DoesNotContain(held.Pod, net.GetEach(Url, 6)); // and no new connection goes to it, none fails
            Assert.True(held.IsOpen);
        }
        finally
        {
            held.Dispose(); // a reset: IPVS holds the entry in CLOSE for 10 s, then it counts no more
        }
        IpvsdNode.Eventually(() => !node.Ipvsadm().Contains(drained + ":80", StringComparison.Ordinal), TimeSpan.FromSeconds(40), () => node.Ipvsadm() + daemon.Log);
        daemon.WaitForLine("drained and deleted", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void RemovedUdpRealServer_IsDeletedAtOnce_WithItsConntrackEntries()
    {
        const int Port = 5353;
        foreach (Pod pod in net.Pods)
        {
            pod.StartUdpResponder(Port);
        }
        try
        {
            using IpvsdNode node = Node();
            string Dns(IEnumerable<string> pods) =>
                "services:\n  - address: udp://198.18.97.97:5353\n    destinations:\n"
                + string.Concat(pods.Select(p => $"      - {{ address: {p}:5353, forward: nat, weight: 1 }}\n"));
            node.WriteServices("dns.yaml", Dns(PodAddresses));
            using IpvsdProcess daemon = Started(node);
            // Since Linux 5.9, with expire_nodest_conn=1 (which ipvsd sets) the kernel itself drops a removed real
            // server's connections and their conntrack entries; turned off here, so what is checked is that ipvsd
            // deletes them, as it must on older kernels or where someone turned the setting off.
            net.Node.Namespace.RunInside(() =>
            {
                File.WriteAllText("/proc/sys/net/ipv4/vs/expire_nodest_conn", "0");
                return true;
            });

            string? answer = net.ExchangeUdp(Vip, Port, "ping", sourcePort: 40053);
            Assert.NotNull(answer);
            Pod answered = net.Pods.Single(p => answer.StartsWith(p.Name + " ", StringComparison.Ordinal));
            string replySource = answered.Address.ToString();
            Assert.Contains($"src={replySource}", net.Node.Exec("conntrack", "-L", "-p", "udp", "--orig-dst", SeedServices.Vip), StringComparison.Ordinal);

            node.WriteServices("dns.yaml", Dns(PodAddresses.Where(a => a != replySource)));
            IpvsdNode.Eventually(() => !node.Ipvsadm().Contains(replySource, StringComparison.Ordinal), TimeSpan.FromSeconds(10), () => node.Ipvsadm() + daemon.Log);
            Assert.DoesNotContain($"src={replySource}", net.Node.TryExec(null, "conntrack", "-L", "-p", "udp", "--orig-dst", SeedServices.Vip).StandardOutput, StringComparison.Ordinal);
            Assert.True(daemon.Log.Contains("conntrack entries deleted", StringComparison.Ordinal), daemon.Log);

            // The same client flow now reaches another pod: with expire_nodest_conn back on, as ipvsd sets it, the
            // kernel drops at most the first datagram of the flow still bound to the deleted real server.
            net.Node.Namespace.RunInside(() =>
            {
                File.WriteAllText("/proc/sys/net/ipv4/vs/expire_nodest_conn", "1");
                return true;
            });
            string? after = Enumerable.Range(0, 3).Select(_ => net.ExchangeUdp(Vip, Port, "again", sourcePort: 40053)).FirstOrDefault(a => a is not null);
            Assert.NotNull(after);
            Assert.False(after.StartsWith(answered.Name + " ", StringComparison.Ordinal), after);
        }
        finally
        {
            foreach (Pod pod in net.Pods)
            {
                pod.StopUdpResponder(Port);
            }
        }
    }

    [Fact]
    public void Restart_KeepsAnEstablishedConnection_AndTheTable()
    {
        using IpvsdNode node = Node();
        node.WriteServices("web.yaml", SeedServices.Web(PodAddresses));
        using HeldConnection held = RunThenHold(node);
        using (IpvsdProcess again = Started(node))
        {
            Assert.Contains("first sync", again.Log, StringComparison.Ordinal);
            Assert.DoesNotContain(" changes (", again.Log, StringComparison.Ordinal); // adopted: nothing to change
            Assert.True(held.IsOpen);
            string client = held.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);
            Assert.Contains($"198.18.1.2:{client}", node.Namespace.Exec("ipvsadm", "-Lnc"), StringComparison.Ordinal);
            Assert.Equal(9, net.GetEach(Url, 9).Count);
        }
        Assert.True(held.IsOpen);
    }

    private HeldConnection RunThenHold(IpvsdNode node)
    {
        using IpvsdProcess first = Started(node);
        HeldConnection held = net.Hold(Vip);
        Assert.Equal(0, first.Stop());
        return held;
    }

    [Fact]
    public void FailingHealthCheck_InhibitsOrRemoves_AndRecoveryBringsTheWeightBack()
    {
        using IpvsdNode node = Node();
        string Checked(string action) =>
            SeedServices.WebWith($"    health-check: {{ type: http, path: /, interval: 1s, timeout: 1s, rise: 2, fall: 2, on-failure: {action} }}\n", PodAddresses);
        node.WriteServices("web.yaml", Checked("inhibit"));
        using IpvsdProcess daemon = Started(node);
        Pod pod2 = net.Pods[1];
        string Row(int weight) => $"-> {pod2.Address}:80 Masq {weight}\n";
        try
        {
            pod2.StopHttp();
            IpvsdNode.Eventually(() => node.Ipvsadm().Contains(Row(0), StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => node.Ipvsadm() + daemon.Log);
            Assert.Contains($"ipvsd_real_server_healthy{{service=\"TCP 198.18.97.97:80\",real_server=\"{pod2.Address}:80\"}} 0", node.Get(10249, "/metrics").Body, StringComparison.Ordinal);
            pod2.StartHttp();
            Assert.Equal("pod2", node.Namespace.Exec("curl", "-sS", "--max-time", "5", $"http://{pod2.Address}/"));
            // rise x interval is 2 s; under emulation, with other test classes running, ticks come late: a bound, not a timing
            IpvsdNode.Eventually(() => node.Ipvsadm().Contains(Row(1), StringComparison.Ordinal), TimeSpan.FromSeconds(30),
                () => $"{node.Ipvsadm()}\ncurl from the node: {node.Namespace.TryExec(null, "curl", "-sS", "--max-time", "5", $"http://{pod2.Address}/").StandardOutput}"
                    + $"\nlistening in pod2: {pod2.Namespace.TryExec(null, "ss", "-ltn").StandardOutput}\nconntrack: {node.Namespace.TryExec(null, "conntrack", "-L", "-d", pod2.Address.ToString()).StandardOutput}\n{daemon.Log}");

            node.WriteServices("web.yaml", Checked("remove"));
            pod2.StopHttp();
            IpvsdNode.Eventually(() => !node.Ipvsadm().Contains(pod2.Address.ToString(), StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => node.Ipvsadm() + daemon.Log);
            Assert.DoesNotContain("pod2", net.GetEach(Url, 6));
        }
        finally
        {
            pod2.StartHttp();
        }
        IpvsdNode.Eventually(() => node.Ipvsadm() == SeedServices.IpvsadmOf(PodAddresses), TimeSpan.FromSeconds(30), () => node.Ipvsadm() + daemon.Log);
    }
}
