using System.Net;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>
/// ipvsd and a UDP service that gains a real server (the VM). The client sends from one source port to a UDP port of
/// the virtual IP before anything serves it: the VIP is bound (for the web service), so the node's own UDP stack
/// refuses the datagrams, and conntrack keeps an entry that nothing translated (reply source: the VIP). The client
/// keeps sending from that port, as a DNS resolver does during a CoreDNS rollout (kubernetes #48370); once the
/// service has a real server, its next datagram must be answered by the pod, which it is only if ipvsd deleted that
/// entry (without it, measured: IPVS sends the datagram on to the pod, and the client never gets the answer).
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class IpvsdUdpGainTests(PodNetwork net) : IClassFixture<PodNetwork>
{
    private const int Port = 5353;
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(60);
    private static readonly IPAddress Vip = IPAddress.Parse(SeedServices.Vip);

    private static string Dns(params string[] pods) =>
        $"services:\n  - address: udp://{SeedServices.Vip}:{Port}\n"
        + (pods.Length == 0 ? string.Empty : "    destinations:\n" + string.Concat(pods.Select(p => $"      - {{ address: {p}:{Port}, forward: nat, weight: 1 }}\n")));

    [Fact]
    public void UdpServiceComingWithARealServer_AnswersTheRefusedClientsNextDatagram()
    {
        Exercise(clientPort: 40153, withoutRealServerFirst: false);
    }

    [Fact]
    public void UdpServiceWithoutRealServer_GainingOne_AnswersTheRefusedClientsNextDatagram()
    {
        Exercise(clientPort: 40154, withoutRealServerFirst: true);
    }

    /// <summary>
    /// The scenario from <paramref name="clientPort"/> (its own per test, so no flow of another test is met); with
    /// <paramref name="withoutRealServerFirst"/>, the UDP service exists without a real server for a while first: IPVS
    /// drops the client's datagrams then (before conntrack confirms them, so they leave no entry of their own), but
    /// each one keeps the entry from before alive.
    /// </summary>
    private void Exercise(int clientPort, bool withoutRealServerFirst)
    {
        Pod pod = net.Pods[0];
        pod.StartUdpResponder(Port);
        try
        {
            using var node = new IpvsdNode("min-sync-period: 200ms\n", net.Node);
            node.WriteServices("web.yaml", SeedServices.Web(pod.Address.ToString()));
            using IpvsdProcess daemon = node.Start();
            daemon.WaitForLine("ready:", Slow);

            string unanswered = $"src={Vip} dst={PodNetwork.ClientAddress} sport={Port} dport={clientPort}";
            Assert.Null(net.ExchangeUdp(Vip, Port, "refused", sourcePort: clientPort, timeoutMilliseconds: 1000));
            Assert.Contains(unanswered, Conntrack(), StringComparison.Ordinal);

            if (withoutRealServerFirst)
            {
                node.WriteServices("dns.yaml", Dns());
                IpvsdNode.Eventually(() => node.Ipvsadm().Contains($"UDP {Vip}:{Port} rr\n", StringComparison.Ordinal), TimeSpan.FromSeconds(10), () => node.Ipvsadm() + daemon.Log);
                Assert.Null(net.ExchangeUdp(Vip, Port, "dropped", sourcePort: clientPort, timeoutMilliseconds: 1000));
                Assert.Contains(unanswered, Conntrack(), StringComparison.Ordinal);
            }

            node.WriteServices("dns.yaml", Dns(pod.Address.ToString()));
            IpvsdNode.Eventually(() => node.Ipvsadm().Contains($"-> {pod.Address}:{Port} Masq 1", StringComparison.Ordinal), TimeSpan.FromSeconds(10), () => node.Ipvsadm() + daemon.Log);
            string? answer = net.ExchangeUdpWithRetries(Vip, Port, "again", sourcePort: clientPort);

            Assert.True(answer == $"{pod.Name} again", $"answer: {answer ?? "none"}\nconntrack:\n{Conntrack()}\n{node.Ipvsadm("-Lnc")}\n{daemon.Log}");
            Assert.Contains("conntrack entries deleted", daemon.Log, StringComparison.Ordinal);
        }
        finally
        {
            pod.StopUdpResponder(Port);
        }
    }

    private string Conntrack() => net.Node.TryExec(null, "conntrack", "-L", "-p", "udp", "--orig-dst", SeedServices.Vip).StandardOutput;
}
