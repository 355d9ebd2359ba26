using System.Text.Json.Nodes;
using Netlink.NativeTests.Infrastructure;
using ServiceProxy.Rules;

namespace Netlink.NativeTests.ServiceRules;

/// <summary>
/// The nf_tables backend against this machine's kernel and `nft`, in a fresh namespace per test: what it installs must
/// dump (`nft -j list ruleset`) exactly as the same ruleset written in nft's own syntax and loaded with `nft -f`.
/// </summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class NfTablesServiceRulesTests : IDisposable
{
    /// <summary><see cref="SampleRuleSets.Everything"/> in nft syntax.</summary>
    private const string ExpectedRuleset = """
        table inet ipvsd {
        	set virtual-ips-v4 {
        		type ipv4_addr . inet_proto . inet_service
        		elements = { 198.18.0.1 . tcp . 80, 198.18.0.2 . udp . 53 }
        	}
        	set virtual-ips-v6 {
        		type ipv6_addr . inet_proto . inet_service
        		elements = { 2001:db8::1 . tcp . 443, 2001:db8::2 . udp . 53 }
        	}
        	set node-ports {
        		type inet_proto . inet_service
        		elements = { tcp . 30080, udp . 30053 }
        	}
        	set external-ips-v4 {
        		type ipv4_addr . inet_proto . inet_service
        		elements = { 198.18.0.10 . tcp . 80 }
        	}
        	set external-ips-v6 {
        		type ipv6_addr . inet_proto . inet_service
        		elements = { 2001:db8::10 . tcp . 80 }
        	}
        	set unmarked-ips-v4 {
        		type ipv4_addr . inet_proto . inet_service
        		elements = { 198.18.0.11 . tcp . 8080 }
        	}
        	set unmarked-ips-v6 {
        		type ipv6_addr . inet_proto . inet_service
        		elements = { 2001:db8::11 . udp . 53 }
        	}
        	set reject-unknown-ports-v4 {
        		type ipv4_addr
        		elements = { 198.18.0.1, 198.18.0.2, 198.18.0.10, 198.18.0.11 }
        	}
        	set reject-unknown-ports-v6 {
        		type ipv6_addr
        		elements = { 2001:db8::1, 2001:db8::10, 2001:db8::11 }
        	}
        	set firewall-v4 {
        		type ipv4_addr . inet_proto . inet_service
        		elements = { 198.18.0.10 . tcp . 80 }
        	}
        	set firewall-v6 {
        		type ipv6_addr . inet_proto . inet_service
        		elements = { 2001:db8::10 . tcp . 80 }
        	}
        	set firewall-allowed-v4 {
        		type ipv4_addr . inet_proto . inet_service . ipv4_addr
        		flags interval
        		elements = { 198.18.0.10 . tcp . 80 . 198.18.5.0/24, 198.18.0.10 . tcp . 80 . 198.18.6.7, 198.18.0.10 . tcp . 80 . 198.18.16.0/20 }
        	}
        	set firewall-allowed-v6 {
        		type ipv6_addr . inet_proto . inet_service . ipv6_addr
        		flags interval
        		elements = { 2001:db8::10 . tcp . 80 . 2001:db8:5::/48 }
        	}
        	set hairpin-v4 {
        		type ipv4_addr . inet_proto . inet_service . ipv4_addr
        		elements = { 198.18.1.2 . tcp . 8080 . 198.18.1.2 }
        	}
        	set hairpin-v6 {
        		type ipv6_addr . inet_proto . inet_service . ipv6_addr
        		elements = { 2001:db8:1::2 . tcp . 8080 . 2001:db8:1::2 }
        	}
        	chain mark-for-masquerade {
        		meta mark set meta mark | 0x00004000
        	}
        	chain virtual-ip {
        		ip saddr != 198.19.0.0/16 jump mark-for-masquerade
        		ip6 saddr != 2001:db8:ff::/48 jump mark-for-masquerade
        	}
        	chain services {
        		ip daddr . meta l4proto . th dport @virtual-ips-v4 jump virtual-ip
        		ip6 daddr . meta l4proto . th dport @virtual-ips-v6 jump virtual-ip
        		ip daddr . meta l4proto . th dport @external-ips-v4 jump mark-for-masquerade
        		ip6 daddr . meta l4proto . th dport @external-ips-v6 jump mark-for-masquerade
        		fib daddr type local meta l4proto . th dport @node-ports jump mark-for-masquerade
        	}
        	chain firewall {
        		ip daddr . meta l4proto . th dport @firewall-v4 ip daddr . meta l4proto . th dport . ip saddr != @firewall-allowed-v4 drop
        		ip6 daddr . meta l4proto . th dport @firewall-v6 ip6 daddr . meta l4proto . th dport . ip6 saddr != @firewall-allowed-v6 drop
        	}
        	chain unknown-port {
        		ip daddr . meta l4proto . th dport @virtual-ips-v4 return
        		ip6 daddr . meta l4proto . th dport @virtual-ips-v6 return
        		ip daddr . meta l4proto . th dport @external-ips-v4 return
        		ip6 daddr . meta l4proto . th dport @external-ips-v6 return
        		ip daddr . meta l4proto . th dport @unmarked-ips-v4 return
        		ip6 daddr . meta l4proto . th dport @unmarked-ips-v6 return
        		meta l4proto tcp reject with tcp reset
        		meta l4proto udp reject
        		meta l4proto sctp reject
        	}
        	chain prerouting {
        		type nat hook prerouting priority dstnat; policy accept;
        		jump services
        	}
        	chain output {
        		type nat hook output priority -100; policy accept;
        		jump services
        	}
        	chain postrouting {
        		type nat hook postrouting priority srcnat; policy accept;
        		meta mark & 0x00004000 == 0x00004000 masquerade
        		ip daddr . meta l4proto . th dport . ip saddr @hairpin-v4 masquerade
        		ip6 daddr . meta l4proto . th dport . ip6 saddr @hairpin-v6 masquerade
        	}
        	chain filter-input {
        		type filter hook input priority filter; policy accept;
        		jump firewall
        		ct state new ip daddr @reject-unknown-ports-v4 jump unknown-port
        		ct state new ip6 daddr @reject-unknown-ports-v6 jump unknown-port
        	}
        	chain filter-output {
        		type filter hook output priority mangle; policy accept;
        		jump firewall
        	}
        }
        """;

    private readonly TestNamespace _ns = TestNamespace.Create(routeTestRanges: false);
    private readonly IServiceRulesBackend _rules;

    public NfTablesServiceRulesTests()
    {
        _rules = ServiceRulesBackend.Create(ServiceRulesBackendKind.Nftables, new ServiceRulesOptions { Namespace = _ns.Namespace });
    }

    public void Dispose()
    {
        _rules.Dispose();
        _ns.Dispose();
    }

    [Fact]
    public void Apply_installs_exactly_what_nft_installs_from_the_same_ruleset()
    {
        CliWrap.Buffered.BufferedCommandResult loaded = _ns.TryExec(ExpectedRuleset, "nft", "-f", "-");
        Assert.True(loaded.ExitCode == 0, loaded.StandardError);
        string byNft = NftRulesetDump.Of(_ns);
        _ns.Exec("nft", "flush", "ruleset");

        _rules.Apply(SampleRuleSets.Everything);

        Assert.Equal(byNft, NftRulesetDump.Of(_ns));
    }

    [Fact]
    public void The_sets_hold_the_virtual_IPs_and_node_ports()
    {
        _rules.Apply(SampleRuleSets.WithClusterCidrs);

        JsonArray items = JsonNode.Parse(_ns.Exec("nft", "-j", "list", "table", "inet", "ipvsd"))!["nftables"]!.AsArray();
        Assert.Equal(["198.18.0.1 . tcp . 80", "198.18.0.2 . udp . 53"], Elements(items, "virtual-ips-v4"));
        Assert.Equal(["2001:db8::1 . tcp . 443", "2001:db8::2 . udp . 53"], Elements(items, "virtual-ips-v6"));
        Assert.Equal(["tcp . 30080", "udp . 30053"], Elements(items, "node-ports"));
    }

    [Theory]
    [MemberData(nameof(SampleRuleSets.Names), MemberType = typeof(SampleRuleSets))]
    public void Read_returns_the_set_that_was_applied(string name)
    {
        ServiceRuleSet applied = SampleRuleSets.ByName(name);
        _rules.Apply(applied);

        Assert.Equal(applied, _rules.Read());
    }

    [Fact]
    public void Applying_again_changes_nothing_and_a_changed_set_replaces_the_table()
    {
        _rules.Apply(SampleRuleSets.WithClusterCidrs);
        string first = NftRulesetDump.Of(_ns);
        _rules.Apply(SampleRuleSets.WithClusterCidrs);
        Assert.Equal(first, NftRulesetDump.Of(_ns));

        _rules.Apply(SampleRuleSets.Changed);

        string listed = _ns.Exec("nft", "list", "table", "inet", "ipvsd");
        Assert.DoesNotContain("198.18.0.1 ", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("198.19.0.0/16", listed, StringComparison.Ordinal);
        Assert.Contains("198.18.0.3 . tcp . 8080", listed, StringComparison.Ordinal);
        Assert.Contains("meta mark set meta mark | 0x00008000", listed, StringComparison.Ordinal);
        Assert.Equal(SampleRuleSets.Changed, _rules.Read());
    }

    [Fact]
    public void Remove_deletes_the_table_and_nothing_else()
    {
        _ns.Exec("nft", "add", "table", "inet", "other");
        _rules.Apply(SampleRuleSets.WithClusterCidrs);

        _rules.Remove();

        Assert.Null(_rules.Read());
        string listed = _ns.Exec("nft", "list", "tables");
        Assert.DoesNotContain("ipvsd", listed, StringComparison.Ordinal);
        Assert.Contains("table inet other", listed, StringComparison.Ordinal);
        _rules.Remove();
        Assert.Null(_rules.Read());
    }

    private static string[] Elements(JsonArray items, string set)
    {
        JsonNode node = items.Single(i => i?["set"]?["name"]?.GetValue<string>() == set)!["set"]!["elem"]!;
        // A hash set lists its elements in no particular order.
        return [.. node.AsArray().Select(e => string.Join(" . ", e!["concat"]!.AsArray().Select(f => f!.ToString()))).Order(StringComparer.Ordinal)];
    }

}
