using CliWrap.Buffered;

namespace Netlink.NativeTests.Infrastructure;

/// <summary>
/// The pod network itself, on this machine's kernel (routing only, no IPVS): what the IPVS and ipvsd tests rely on
/// must work here first, or their failures would say nothing about IPVS.
/// </summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class PodNetworkTests(PodNetwork network) : IClassFixture<PodNetwork>
{
    [Fact]
    public void EveryPod_AnswersWithItsName_ThroughTheNode()
    {
        Assert.Equal(["pod1", "pod2", "pod3"], network.Pods.Select(p => network.Get($"http://{p.Address}/")));
        Assert.Equal(["pod2", "pod2"], network.GetEach($"http://{network.Pods[1].Address}/", 2));
    }

    [Fact]
    public void HeldConnection_StaysEstablished_AndBothEndsCloseOnDispose()
    {
        Pod pod = network.Pods[1];
        using (HeldConnection held = network.Hold(pod.Address))
        {
            Assert.Equal("pod2", held.Pod);
            Thread.Sleep(1500);
            Assert.Contains($"{PodNetwork.ClientAddress}:{held.LocalEndPoint.Port}", Established(pod));
        }
        // The hold script's next write meets the reset, so the pod's side goes within about a second.
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (Established(pod).Contains(PodNetwork.ClientAddress.ToString(), StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"pod2 still holds the connection 10 s after the reset: {Established(pod)}");
            Thread.Sleep(200);
        }
    }

    [Fact]
    public void UdpResponder_Answers_UntilStopped()
    {
        Pod pod = network.Pods[2];
        pod.StartUdpResponder(5353);
        try
        {
            Assert.Equal("pod3 hello", network.ExchangeUdp(pod.Address, 5353, "hello", sourcePort: 40053));
            Assert.Equal("pod3 again", network.ExchangeUdp(pod.Address, 5353, "again", sourcePort: 40053));
        }
        finally
        {
            pod.StopUdpResponder(5353);
        }
        Assert.Null(network.ExchangeUdp(pod.Address, 5353, "nobody", timeoutMilliseconds: 500));
    }

    [Fact]
    public void StoppedHttp_RefusesConnections_AndServesAgainWhenStarted()
    {
        Pod pod = network.Pods[0];
        pod.StopHttp();
        try
        {
            InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => network.Get($"http://{pod.Address}/"));
            Assert.Contains("exited 7", refused.Message, StringComparison.Ordinal);   // curl: could not connect
        }
        finally
        {
            pod.StartHttp();
        }
        Assert.Equal("pod1", network.Get($"http://{pod.Address}/"));
    }

    [Fact]
    public void NodePrograms_RunInTheNodeNamespace()
    {
        using BackgroundProgram program = network.StartInNode("sh", "-c", "ip -o -4 addr show dev client; echo done");
        Assert.Contains("198.18.1.1/24", program.WaitForLine(l => l.Contains("inet ", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the address line"), StringComparison.Ordinal);
        Assert.Equal(0, program.WaitForExit(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Dispose_RemovesEveryNamespace_AndStopsTheServers()
    {
        var other = new PodNetwork();
        string[] names = [other.Client.Name, other.Node.Name, .. other.Pods.Select(p => p.Namespace.Name)];
        Assert.All(names, name => Assert.Contains(name, NamespaceList()));
        string[] servers = [.. other.Pods.SelectMany(p => TestNamespace.Run("ip", "netns", "pids", p.Namespace.Name).Split('\n', StringSplitOptions.RemoveEmptyEntries))];
        Assert.Equal(PodNetwork.PodCount, servers.Length);
        other.Dispose();
        Assert.All(names, name => Assert.DoesNotContain(name, NamespaceList()));
        Assert.All(servers, pid => Assert.False(Directory.Exists("/proc/" + pid), $"server process {pid} outlived its pod"));
    }

    private static string NamespaceList() => TestNamespace.Run("ip", "netns", "list");

    private static string Established(Pod pod)
    {
        BufferedCommandResult result = pod.Namespace.TryExec(null, "ss", "-Htn", "state", "established");
        Assert.True(result.ExitCode == 0, $"ss in {pod.Name}: {result.StandardError}");
        // busybox httpd listens on IPv6's any address, so ss shows IPv4 peers mapped: [::ffff:198.18.1.2]:34926.
        return result.StandardOutput.Replace("[::ffff:", "", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal);
    }
}
