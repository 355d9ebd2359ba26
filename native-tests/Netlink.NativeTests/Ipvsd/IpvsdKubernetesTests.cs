using System.Globalization;
using k8s.Models;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>
/// ipvsd following the Kubernetes API (the VM): the test API server serves the seed's Services and EndpointSlices,
/// ipvsd watches it through a kubeconfig and programs the node's kernel, and real HTTP from the client namespace
/// reaches the pods. Nothing before the first lists; spread, node port and affinity; endpoint changes followed with
/// no failed request.
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class IpvsdKubernetesTests(KubernetesCluster cluster) : IClassFixture<KubernetesCluster>
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(90);
    private const string WebUrl = $"http://{KubernetesSeed.WebVip}/";

    private PodNetwork Net => cluster.Net;

    private IpvsdNode Node() => new("min-sync-period: 200ms\ncluster-cidrs: [198.19.0.0/16]\n", Net.Node, cluster.Source);

    private static IpvsdProcess Started(IpvsdNode node)
    {
        IpvsdProcess daemon = node.Start();
        daemon.WaitForLine("ready:", Slow);
        return daemon;
    }

    /// <summary>The virtual servers of ipvsadm -Ln, each with its real servers, sorted: the kernel lists them in hash order.</summary>
    private static string[] Services(IpvsdNode node) =>
        [.. node.Ipvsadm().Split("\n", StringSplitOptions.RemoveEmptyEntries)
            .Aggregate(new List<List<string>>(), (blocks, row) =>
            {
                if (!row.StartsWith("->", StringComparison.Ordinal))
                {
                    blocks.Add([]);
                }
                blocks[^1].Add(row);
                return blocks;
            })
            .Select(b => string.Join(" ", b[0..1].Concat(b.Skip(1).Order(StringComparer.Ordinal))))
            .Order(StringComparer.Ordinal)];

    private static string Pods(string service, params string[] pods) => service + string.Concat(pods.Select(p => $" -> {p}:80 Masq 1"));

    [Fact]
    public void SeedObjects_AreProgrammed_AndTrafficSpreadsPinsAndReachesTheNodePort()
    {
        cluster.Reseed();
        using IpvsdNode node = Node();
        using IpvsdProcess daemon = Started(node);
        string[] three = [.. cluster.PodAddresses.Take(3)];
        string[] expected =
        [
            Pods($"TCP 198.18.1.1:{KubernetesSeed.NodePort} rr", three),
            // externalTrafficPolicy Local with no local endpoint falls back to every endpoint, as kube-proxy's IPVS mode
            // does (kubernetes #97081): pods on this node still reach the load balancer IP
            Pods($"TCP 198.18.1.1:{KubernetesSeed.LoadBalancerNodePort} rr", three),
            Pods($"TCP {KubernetesSeed.WebVip}:80 rr", three),
            Pods($"TCP {KubernetesSeed.NodePortVip}:80 rr", three),
            Pods($"TCP {KubernetesSeed.StickyVip}:80 rr persistent 300", three),
            Pods($"TCP {KubernetesSeed.LoadBalancerVip}:80 rr", three), // internal traffic: every endpoint
            Pods($"TCP {KubernetesSeed.LoadBalancerIngress}:80 rr", three),
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Services(node));
        // the cluster IPs are bound on the dummy interface; the headless, ExternalName and unlabelled Services got nothing
        string bound = node.Namespace.Exec("ip", "-brief", "address", "show", "dev", "ipvsd0");
        foreach (string vip in new[] { KubernetesSeed.WebVip, KubernetesSeed.NodePortVip, KubernetesSeed.StickyVip })
        {
            Assert.Contains(vip + "/32", bound, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(KubernetesSeed.UnservedVip, bound, StringComparison.Ordinal);
        Assert.Contains("Services and EndpointSlices listed", daemon.Log, StringComparison.Ordinal);

        IReadOnlyList<string> spread = Net.GetEach(WebUrl, 9);
        Assert.Equal(["pod1", "pod2", "pod3"], spread.Distinct().Order(StringComparer.Ordinal));
        Assert.All(spread.GroupBy(b => b), g => Assert.Equal(3, g.Count()));
        Assert.Equal(3, Net.GetEach($"http://198.18.1.1:{KubernetesSeed.NodePort}/", 3).Distinct().Count());
        Assert.Single(Net.GetEach($"http://{KubernetesSeed.StickyVip}/", 6).Distinct());

        // the health check node port, on the node port addresses, as a cloud load balancer asks it
        var check = Net.Client.TryExec(null, "curl", "-sS", "--max-time", "10", "-w", @"\n%{http_code}", $"http://198.18.1.1:{KubernetesSeed.HealthCheckNodePort}/");
        Assert.True(check.ExitCode == 0, check.StandardError + daemon.Log);
        Assert.EndsWith("\n503", check.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"localEndpoints\": 0", check.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"name\": \"lb\"", check.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingIsSynced_BeforeBothFirstLists()
    {
        cluster.Reseed();
        using IpvsdNode node = Node();
        IpvsdProcess daemon;
        using (cluster.Server.HoldLists("endpointslices"))
        {
            daemon = node.Start();
            daemon.WaitForLine("waiting for the first lists", Slow);
            IpvsdNode.Eventually(() => cluster.Server.ListCount("services") > 0, Slow, () => daemon.Log);
            Thread.Sleep(TimeSpan.FromSeconds(2));
            Assert.Empty(Services(node));
            Assert.DoesNotContain("ready:", daemon.Log, StringComparison.Ordinal);
        }
        using (daemon)
        {
            daemon.WaitForLine("ready:", Slow);
            Assert.Equal(7, Services(node).Length);
        }
    }

    [Fact]
    public void EndpointChanges_AreFollowed_WithNoFailedRequest()
    {
        cluster.Reseed();
        using IpvsdNode node = Node();
        using IpvsdProcess daemon = Started(node);
        string[] pods = cluster.PodAddresses;
        // one curl for all requests (a process start costs most of a second in the VM), stopped once enough answers
        // came after the change; busybox httpd closes each connection, so every request is a new connection the
        // scheduler places
        const int Requests = 4000;
        using BackgroundProgram load = BackgroundProgram.Start(Net.Client, "curl", ["-sS", "--max-time", "5", "-w", @" %{http_code}\n", .. Enumerable.Repeat(WebUrl, Requests)]);
        load.WaitForLine(line => line.EndsWith(" 200", StringComparison.Ordinal), Slow, "a first answer");
        int before = load.LineCount;

        // pod1 terminating (still serving, as a pod in its grace period is), pod2 gone, pod4 added
        cluster.Server.EndpointSlices.Apply(KubernetesSeed.Slice("web",
            [KubernetesSeed.Endpoint(pods[0], ready: false, terminating: true), KubernetesSeed.Ready(pods[2]), KubernetesSeed.Ready(pods[3])]));
        IpvsdNode.Eventually(() => Services(node).Any(s => s.Contains($"{pods[3]}:80 Masq 1", StringComparison.Ordinal) && s.StartsWith($"TCP {KubernetesSeed.WebVip}", StringComparison.Ordinal)),
            Slow, () => node.Ipvsadm() + daemon.Log);
        int changedAt = load.LineCount;
        load.WaitForLine(_ => true, Slow, "30 answers after the change", changedAt + 30);
        load.Signal("TERM");
        load.WaitForExit(TimeSpan.FromSeconds(30));

        List<string> answers = [.. load.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        if (answers.Count > 0 && !System.Text.RegularExpressions.Regex.IsMatch(answers[^1], @" \d{3}$"))
        {
            answers.RemoveAt(answers.Count - 1); // the request the TERM cut short
        }
        Assert.True(answers.Count > changedAt + 30, load.Output);
        Assert.All(answers, a => Assert.EndsWith(" 200", a, StringComparison.Ordinal)); // not one request failed, before, during or after
        Assert.All(answers.Take(before), a => Assert.Matches("^pod[123] ", a));
        string[] after = [.. answers.Skip(changedAt + 2).Select(a => a.Split(' ')[0])];
        Assert.Equal(["pod3", "pod4"], after.Distinct().Order(StringComparer.Ordinal));

        string web = Services(node).Single(s => s.StartsWith($"TCP {KubernetesSeed.WebVip}:80", StringComparison.Ordinal));
        Assert.Contains($"-> {pods[2]}:80 Masq 1", web, StringComparison.Ordinal);
        Assert.Contains($"-> {pods[3]}:80 Masq 1", web, StringComparison.Ordinal);
        // the old endpoints drain at weight 0 while IPVS still counts their closed connections, or are gone
        foreach (string gone in pods[..2])
        {
            Assert.True(!web.Contains($"-> {gone}:80", StringComparison.Ordinal) || web.Contains($"-> {gone}:80 Masq 0", StringComparison.Ordinal), web);
        }
        Assert.Contains("desired table changed: 1 virtual servers added or changed, 0 removed (Kubernetes)", daemon.Log, StringComparison.Ordinal);
    }
}
