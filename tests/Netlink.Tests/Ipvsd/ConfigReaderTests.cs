using System.Net;
using Ipvsd.Configuration;
using ServiceProxy.Rules;

namespace Netlink.Tests.Ipvsd;

/// <summary>ipvsd.yaml: defaults, every setting, and "file:line:column: what is wrong" for each mistake.</summary>
public sealed class ConfigReaderTests
{
    internal static DaemonConfig Valid(string text)
    {
        DaemonConfig? config = ConfigReader.Parse(text, "/etc/ipvsd/ipvsd.yaml", out IReadOnlyList<ConfigProblem> problems);
        Assert.True(config is not null, string.Join("\n", problems));
        return config;
    }

    internal static IReadOnlyList<string> Problems(string text)
    {
        Assert.Null(ConfigReader.Parse(text, "/etc/ipvsd/ipvsd.yaml", out IReadOnlyList<ConfigProblem> problems));
        return [.. problems.Select(p => p.ToString())];
    }

    [Fact]
    public void Defaults_AreKubeProxys()
    {
        DaemonConfig config = Valid("services: services.d\n");
        Assert.Equal("/etc/ipvsd/services.d", config.Services);
        Assert.Equal(("ipvsd0", ServiceRulesBackendKind.Nftables), (config.Interface, config.Rules));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15)), (config.SyncPeriod, config.MinSyncPeriod, config.DrainTimeout));
        Assert.Equal(("127.0.0.1:10249", "127.0.0.1:10256"), (config.MetricsAddress!.ToString(), config.HealthAddress!.ToString()));
        Assert.Equal("/var/lib/ipvsd", config.StateDirectory);
        Assert.Equal(0x4000u, config.MasqueradeMark);
    }

    [Fact]
    public void EverySetting_IsRead()
    {
        DaemonConfig config = Valid("""
            services: /srv/ipvsd/web.yaml
            interface: lb0
            rules: iptables
            masquerade-all: true
            cluster-cidrs: [198.19.0.0/16, 2001:db8:1::/64]
            masquerade-mark: 0x8000
            sync-period: 1m30s
            min-sync-period: 500ms
            drain-timeout: 2m
            metrics-address: "[::1]:9100"
            health-address: off
            state-directory: state
            """);
        Assert.Equal(("/srv/ipvsd/web.yaml", "lb0", ServiceRulesBackendKind.Iptables, true), (config.Services, config.Interface, config.Rules, config.MasqueradeAll));
        Assert.Equal(["198.19.0.0/16", "2001:db8:1::/64"], config.ClusterCidrs.Select(c => c.ToString()));
        Assert.Equal(0x8000u, config.MasqueradeMark);
        Assert.Equal((TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(2)), (config.SyncPeriod, config.MinSyncPeriod, config.DrainTimeout));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 9100), config.MetricsAddress);
        Assert.Null(config.HealthAddress);
        Assert.Equal("/etc/ipvsd/state", config.StateDirectory);
        Assert.Null(Valid("services: s\nrules: none\n").Rules);
    }

    [Fact]
    public void EachMistake_IsNamedWithFileLineAndColumn()
    {
        Assert.Equal(
        [
            "/etc/ipvsd/ipvsd.yaml:2:1: unknown setting 'sync': the settings are services, interface, rules, masquerade-all, cluster-cidrs, masquerade-mark, sync-period, min-sync-period, drain-timeout, metrics-address, health-address, state-directory, kubernetes",
            "/etc/ipvsd/ipvsd.yaml:3:8: rules 'ipvs' is not one of nftables, iptables, none",
            "/etc/ipvsd/ipvsd.yaml:4:14: '30' is not a duration of at least 1s (500ms, 30s, 2m, 1h)",
            "/etc/ipvsd/ipvsd.yaml:5:17: '198.19.0.1/16' is not a network in CIDR form (address/prefix, host bits zero)",
            "/etc/ipvsd/ipvsd.yaml:6:18: '127.0.0.1:99999' is not an address and port (127.0.0.1:10249, [::1]:10249), nor off",
            "/etc/ipvsd/ipvsd.yaml:7:18: masquerade-mark '0x4001' is not a single bit (such as 0x4000)",
            "/etc/ipvsd/ipvsd.yaml:8:12: interface 'a/b' is not an interface name (1 to 15 characters, no '/' or spaces)",
        ],
        Problems("services: s\nsync: 1\nrules: ipvs\nsync-period: 30\ncluster-cidrs: [198.19.0.1/16]\nmetrics-address: 127.0.0.1:99999\nmasquerade-mark: 0x4001\ninterface: a/b\n"));
    }

    [Fact]
    public void MissingServices_NotYaml_AndMinAboveSync_AreRefused()
    {
        Assert.Equal(["/etc/ipvsd/ipvsd.yaml:1:1: no 'services' setting and no 'kubernetes' section: name the model file or directory of model files ipvsd serves, or the Kubernetes API it follows"], Problems("rules: none\n"));
        Assert.StartsWith("/etc/ipvsd/ipvsd.yaml:2:1: not valid YAML: ", Assert.Single(Problems("services: [a\n")));
        Assert.Equal(["/etc/ipvsd/ipvsd.yaml:3:18: min-sync-period (10s) is longer than sync-period (5s): make it shorter"],
            Problems("services: s\nsync-period: 5s\nmin-sync-period: 10s\n"));
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("1h2m3s", 3_723_000)]
    public void Durations_AreGoStyle(string text, long milliseconds)
    {
        Assert.True(Durations.TryParse(text, out TimeSpan value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5d")]
    [InlineData("-5s")]
    [InlineData("99999999999999999h")]
    public void Durations_RefuseWhatIsNotOne(string text) => Assert.False(Durations.TryParse(text, out _));
}
