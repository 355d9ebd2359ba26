using Ipvsd.Configuration;
using static Netlink.Tests.Ipvsd.ConfigReaderTests;

namespace Netlink.Tests.Ipvsd;

/// <summary>The kubernetes: section of ipvsd.yaml: defaults, every setting, and one line per mistake.</summary>
public sealed class ConfigReaderKubernetesTests
{
    [Fact]
    public void EmptySection_IsAPodReplacingKubeProxy()
    {
        DaemonConfig config = Valid("kubernetes: {}\n");
        Assert.Null(config.Services);
        KubernetesConfig kubernetes = Assert.IsType<KubernetesConfig>(config.Kubernetes);
        Assert.Null(kubernetes.Kubeconfig);
        Assert.Null(kubernetes.ServiceProxyName);
        Assert.Equal(("rr", false), (kubernetes.Scheduler, kubernetes.StrictArp));
        Assert.Empty(kubernetes.NodePortAddresses);
        string expected = Environment.GetEnvironmentVariable("NODE_NAME") is { Length: > 0 } name ? name : System.Net.Dns.GetHostName().ToLowerInvariant();
        Assert.Equal(expected, kubernetes.NodeName);
    }

    [Fact]
    public void EverySetting_IsRead()
    {
        KubernetesConfig kubernetes = Valid("""
            kubernetes:
              kubeconfig: kube/config
              node-name: node-1.example
              service-proxy-name: ipvsd
              scheduler: mh
              node-port-addresses: [198.18.0.0/24, 2001:db8::/64]
              strict-arp: true
            interface: kube-ipvs0
            """).Kubernetes!;
        Assert.Equal(("/etc/ipvsd/kube/config", "node-1.example", "ipvsd", "mh", true),
            (kubernetes.Kubeconfig, kubernetes.NodeName, kubernetes.ServiceProxyName, kubernetes.Scheduler, kubernetes.StrictArp));
        Assert.Equal(["198.18.0.0/24", "2001:db8::/64"], kubernetes.NodePortAddresses.Select(c => c.ToString()));
    }

    [Fact]
    public void EmptyProxyName_ReplacesKubeProxy() => Assert.Null(Valid("kubernetes:\n  service-proxy-name: \"\"\n").Kubernetes!.ServiceProxyName);

    [Fact]
    public void BothSources_AreRefused() =>
        Assert.Equal(["/etc/ipvsd/ipvsd.yaml:2:13: both 'services' and 'kubernetes' are set: ipvsd serves one source of services, so remove one"],
            Problems("services: s\nkubernetes: {}\n"));

    [Fact]
    public void EveryMistake_IsOneLineWithItsPlace()
    {
        Assert.Equal(
        [
            "/etc/ipvsd/ipvsd.yaml:2:14: node-name 'Node_1' is not a Node's name (lower-case letters, digits, '-' and '.'; as `kubectl get nodes` lists it)",
            "/etc/ipvsd/ipvsd.yaml:3:23: service-proxy-name '-ipvsd' is not a label value (up to 63 letters, digits, '-', '_', '.', starting and ending with a letter or digit)",
            "/etc/ipvsd/ipvsd.yaml:4:14: scheduler 'fastest' is not an IPVS scheduler: use one of rr, wrr, lc, wlc, lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos",
            "/etc/ipvsd/ipvsd.yaml:5:25: '198.18.0.1/24' is not a network in CIDR form (address/prefix, host bits zero)",
            "/etc/ipvsd/ipvsd.yaml:6:15: 'yes' is not true or false",
            "/etc/ipvsd/ipvsd.yaml:7:3: unknown kubernetes setting 'master': the settings are kubeconfig, node-name, service-proxy-name, scheduler, node-port-addresses, strict-arp",
        ], Problems("""
            kubernetes:
              node-name: Node_1
              service-proxy-name: -ipvsd
              scheduler: fastest
              node-port-addresses: [198.18.0.1/24]
              strict-arp: yes
              master: https://198.18.0.1:6443
            """));
        Assert.Equal(["/etc/ipvsd/ipvsd.yaml:1:13: kubernetes must be a mapping (kubeconfig: PATH, node-name: NAME, ...), or {} inside a pod"], Problems("kubernetes: yes\n"));
    }
}
