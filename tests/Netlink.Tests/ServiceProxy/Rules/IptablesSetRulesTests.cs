using System.Net;
using System.Net.Sockets;
using Netlink.Netfilter.IpSet;
using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Rules;

/// <summary>The iptables backend's fixed rules (the restore input) and its sets (contents, changes, reading back).</summary>
public sealed class IptablesSetRulesTests
{
    private static readonly IptablesChains Chains = IptablesChains.Default;

    [Fact]
    public void IPv4_input_for_a_fresh_host_declares_the_chains_of_three_tables_fills_them_and_inserts_the_jumps()
    {
        string input = IptablesRestoreInput.ForApply(Samples.DualStack, IptablesFamily.IPv4, IptablesSave.Empty);

        Assert.Equal(
            """
            *nat
            :IPVSD-SERVICES - [0:0]
            :IPVSD-VIRTUAL-IP - [0:0]
            :IPVSD-MARK-MASQ - [0:0]
            :IPVSD-POSTROUTING - [0:0]
            -A IPVSD-SERVICES -m set --match-set IPVSD-VIRTUAL-IPS-V4 dst,dst -j IPVSD-VIRTUAL-IP
            -A IPVSD-SERVICES -m set --match-set IPVSD-EXTERNAL-IPS-V4 dst,dst -j IPVSD-MARK-MASQ
            -A IPVSD-SERVICES -p tcp -m addrtype --dst-type LOCAL -m set --match-set IPVSD-NODE-PORTS-TCP dst -j IPVSD-MARK-MASQ
            -A IPVSD-SERVICES -p udp -m addrtype --dst-type LOCAL -m set --match-set IPVSD-NODE-PORTS-UDP dst -j IPVSD-MARK-MASQ
            -A IPVSD-SERVICES -p sctp -m addrtype --dst-type LOCAL -m set --match-set IPVSD-NODE-PORTS-SCTP dst -j IPVSD-MARK-MASQ
            -A IPVSD-VIRTUAL-IP ! -s 198.19.0.0/16 -j IPVSD-MARK-MASQ
            -A IPVSD-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
            -A IPVSD-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE
            -A IPVSD-POSTROUTING -m set --match-set IPVSD-HAIRPIN-V4 dst,dst,src -j MASQUERADE
            -I PREROUTING -m comment --comment "ipvsd service traffic" -j IPVSD-SERVICES
            -I OUTPUT -m comment --comment "ipvsd service traffic" -j IPVSD-SERVICES
            -I POSTROUTING -m comment --comment "ipvsd masquerade marked traffic" -j IPVSD-POSTROUTING
            COMMIT
            *filter
            :IPVSD-IPVS-FILTER - [0:0]
            -A IPVSD-IPVS-FILTER -m set ! --match-set IPVSD-BOUND-IPS-V4 dst -j RETURN
            -A IPVSD-IPVS-FILTER -m set --match-set IPVSD-VIRTUAL-IPS-V4 dst,dst -j RETURN
            -A IPVSD-IPVS-FILTER -m set --match-set IPVSD-EXTERNAL-IPS-V4 dst,dst -j RETURN
            -A IPVSD-IPVS-FILTER -m set --match-set IPVSD-UNMARKED-IPS-V4 dst,dst -j RETURN
            -A IPVSD-IPVS-FILTER -p tcp -m conntrack --ctstate NEW -j REJECT --reject-with tcp-reset
            -A IPVSD-IPVS-FILTER -p udp -m conntrack --ctstate NEW -j REJECT --reject-with icmp-port-unreachable
            -A IPVSD-IPVS-FILTER -p sctp -m conntrack --ctstate NEW -j REJECT --reject-with icmp-port-unreachable
            -I INPUT -m comment --comment "ipvsd unknown ports on virtual IPs" -j IPVSD-IPVS-FILTER
            COMMIT
            *mangle
            :IPVSD-FIREWALL - [0:0]
            -A IPVSD-FIREWALL -m set --match-set IPVSD-FW-TARGETS-V4 dst,dst -m set ! --match-set IPVSD-FW-ALLOWED-V4 dst,dst,src -j DROP
            -I INPUT -m comment --comment "ipvsd load balancer source ranges" -j IPVSD-FIREWALL
            -I OUTPUT -m comment --comment "ipvsd load balancer source ranges" -j IPVSD-FIREWALL
            COMMIT

            """.ReplaceLineEndings("\n"), input);
    }

    [Fact]
    public void The_rules_do_not_grow_with_the_services()
    {
        var many = Samples.Everything with
        {
            VirtualIps = [.. Enumerable.Range(0, 5000).Select(i => new VirtualIp(new IPAddress([198, 18, (byte)(i / 250), (byte)(i % 250 + 1)]), ServiceProtocol.Tcp, 80))],
        };

        Assert.Equal(IptablesRestoreInput.ForApply(Samples.DualStack, IptablesFamily.IPv6, IptablesSave.Empty),
            IptablesRestoreInput.ForApply(many, IptablesFamily.IPv6, IptablesSave.Empty));
    }

    [Fact]
    public void IPv6_matches_the_V6_sets_with_its_own_CIDR_and_ICMPv6_rejects()
    {
        string input = IptablesRestoreInput.ForApply(Samples.DualStack, IptablesFamily.IPv6, IptablesSave.Empty);

        Assert.Contains("-A IPVSD-SERVICES -m set --match-set IPVSD-VIRTUAL-IPS-V6 dst,dst -j IPVSD-VIRTUAL-IP\n", input, StringComparison.Ordinal);
        Assert.Contains("-A IPVSD-VIRTUAL-IP ! -s 2001:db8:ff::/48 -j IPVSD-MARK-MASQ\n", input, StringComparison.Ordinal);
        Assert.Contains("--reject-with icmp6-port-unreachable\n", input, StringComparison.Ordinal);
        Assert.DoesNotContain("-V4", input, StringComparison.Ordinal);
        // Node ports are one bitmap per protocol, matched from both families.
        Assert.Contains("--match-set IPVSD-NODE-PORTS-TCP dst", input, StringComparison.Ordinal);
    }

    [Fact]
    public void Masquerade_all_marks_every_virtual_IP_packet_and_without_a_CIDR_none_is_marked()
    {
        var all = new ServiceRuleSet { MasqueradeAll = true, MasqueradeMark = 0x8000 };
        Assert.Equal(["-A IPVSD-VIRTUAL-IP -j IPVSD-MARK-MASQ"], IptablesRestoreInput.Rules("nat", all, IptablesFamily.IPv4, Chains).Where(l => l.StartsWith("-A IPVSD-VIRTUAL-IP", StringComparison.Ordinal)));
        Assert.Contains("-A IPVSD-MARK-MASQ -j MARK --set-xmark 0x8000/0x8000", IptablesRestoreInput.Rules("nat", all, IptablesFamily.IPv4, Chains));
        var v4Only = Samples.DualStack with { ClusterCidrs = [IPNetwork.Parse("198.19.0.0/16")] };
        Assert.DoesNotContain(IptablesRestoreInput.Rules("nat", v4Only, IptablesFamily.IPv6, Chains), l => l.StartsWith("-A IPVSD-VIRTUAL-IP", StringComparison.Ordinal));
    }

    [Fact]
    public void Jumps_that_are_already_there_are_not_added_again()
    {
        string saved = IptablesRestoreInput.ForApply(Samples.DualStack, IptablesFamily.IPv4, IptablesSave.Empty).Replace("-I ", "-A ", StringComparison.Ordinal);

        string again = IptablesRestoreInput.ForApply(Samples.DualStack, IptablesFamily.IPv4, IptablesSave.Parse(saved));

        Assert.DoesNotContain("-I ", again, StringComparison.Ordinal);
        Assert.DoesNotContain("-D ", again, StringComparison.Ordinal);
        Assert.DoesNotContain("-X ", again, StringComparison.Ordinal);
    }

    [Fact]
    public void The_filter_firewall_of_the_older_layout_goes_with_its_jumps_when_the_new_rules_come()
    {
        const string Older = """
            *filter
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :IPVSD-FIREWALL - [0:0]
            :IPVSD-IPVS-FILTER - [0:0]
            -A INPUT -m comment --comment "ipvsd load balancer source ranges" -j IPVSD-FIREWALL
            -A INPUT -m comment --comment "ipvsd unknown ports on virtual IPs" -j IPVSD-IPVS-FILTER
            -A OUTPUT -m comment --comment "ipvsd load balancer source ranges" -j IPVSD-FIREWALL
            -A IPVSD-FIREWALL -p tcp -m conntrack --ctorigdst 198.18.0.10 --ctorigdstport 80 --ctdir ORIGINAL -j DROP
            COMMIT

            """;

        string input = IptablesRestoreInput.ForApply(Samples.DualStack, IptablesFamily.IPv4, IptablesSave.Parse(Older.ReplaceLineEndings("\n")));

        string filter = input[input.IndexOf("*filter", StringComparison.Ordinal)..input.IndexOf("*mangle", StringComparison.Ordinal)];
        Assert.Contains("-D INPUT -m comment --comment \"ipvsd load balancer source ranges\" -j IPVSD-FIREWALL\n", filter, StringComparison.Ordinal);
        Assert.Contains("-D OUTPUT -m comment --comment \"ipvsd load balancer source ranges\" -j IPVSD-FIREWALL\n", filter, StringComparison.Ordinal);
        Assert.Contains("-X IPVSD-FIREWALL\n", filter, StringComparison.Ordinal);
        Assert.DoesNotContain("-I INPUT", filter, StringComparison.Ordinal);
        Assert.DoesNotContain("-X IPVSD-IPVS-FILTER", filter, StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_deletes_the_jumps_then_empties_and_deletes_the_owned_chains_of_every_table()
    {
        string saved = IptablesRestoreInput.ForApply(Samples.DualStack, IptablesFamily.IPv4, IptablesSave.Empty).Replace("-I ", "-A ", StringComparison.Ordinal);

        string? input = IptablesRestoreInput.ForRemove(IptablesSave.Parse(saved));

        Assert.NotNull(input);
        Assert.Equal(["*nat", "*filter", "*mangle"], input.Split('\n').Where(l => l.StartsWith('*')));
        Assert.Equal(6, input.Split('\n').Count(l => l.StartsWith("-D ", StringComparison.Ordinal)));
        Assert.Equal(6, input.Split('\n').Count(l => l.StartsWith("-X IPVSD-", StringComparison.Ordinal)));
        Assert.Null(IptablesRestoreInput.ForRemove(IptablesSave.Empty));
    }

    [Fact]
    public void Every_list_goes_into_its_set_of_its_family()
    {
        Dictionary<string, List<IpSetEntry>> contents = Chains.Sets.Contents(Samples.Everything.Normalize());

        Assert.Equal(17, contents.Count);
        Assert.Equal(["198.18.0.1,tcp:80", "198.18.0.2,udp:53"], contents["IPVSD-VIRTUAL-IPS-V4"].Select(e => e.ToString()));
        Assert.Equal(["2001:db8::1,tcp:443", "2001:db8::3,sctp:9000"], contents["IPVSD-VIRTUAL-IPS-V6"].Select(e => e.ToString()));
        Assert.Equal(["198.18.0.10,tcp:80"], contents["IPVSD-EXTERNAL-IPS-V4"].Select(e => e.ToString()));
        Assert.Equal(["2001:db8::11,tcp:8443"], contents["IPVSD-UNMARKED-IPS-V6"].Select(e => e.ToString()));
        Assert.Equal(["198.18.0.1", "198.18.0.10"], contents["IPVSD-BOUND-IPS-V4"].Select(e => e.ToString()));
        Assert.Equal(["198.18.0.10,tcp:80"], contents["IPVSD-FW-TARGETS-V4"].Select(e => e.ToString()));
        Assert.Equal(["198.18.0.10,tcp:80,198.18.5.0/24", "198.18.0.10,tcp:80,198.18.6.7", "198.18.0.10,tcp:80,198.18.16.0/20"],
            contents["IPVSD-FW-ALLOWED-V4"].Select(e => e.ToString()));
        Assert.Equal(["2001:db8:1::2,sctp:9000,2001:db8:1::2"], contents["IPVSD-HAIRPIN-V6"].Select(e => e.ToString()));
        Assert.Equal(["30053"], contents["IPVSD-NODE-PORTS-UDP"].Select(e => e.ToString()));
        Assert.Empty(contents["IPVSD-NODE-PORTS-SCTP"]);
        Assert.All(Chains.Sets.All, s => Assert.All(contents[s.Name], e => Assert.True(e.Fits(s.Type), $"{e} in {s.Name}")));
    }

    [Fact]
    public void A_change_adds_everything_before_it_deletes_anything_and_tolerates_what_is_done()
    {
        var moved = new VirtualIp(IPAddress.Parse("198.18.0.2"), ServiceProtocol.Udp, 53);
        ServiceRuleSet before = Samples.Everything;
        ServiceRuleSet after = before with
        {
            VirtualIps = [.. before.VirtualIps.Where(v => !v.Equals(moved))],
            ExternalVirtualIps = [.. before.ExternalVirtualIps, moved],
            SourceRanges = [new(new(IPAddress.Parse("198.18.0.20"), ServiceProtocol.Tcp, 443), [IPNetwork.Parse("198.18.7.0/24")])],
        };
        using var batch = new IpSetBatch();

        Chains.Sets.AppendChange(batch, ServiceRuleChange.Between(before, after));

        IReadOnlyList<IpSetOperation> operations = batch.Operations;
        int lastAdd = operations.Select((o, i) => (o, i)).Last(p => p.o.Command == IpSetCommand.Add).i;
        int firstDelete = operations.Select((o, i) => (o, i)).First(p => p.o.Command == IpSetCommand.Delete).i;
        Assert.True(lastAdd < firstDelete);
        Assert.All(operations, o => Assert.True(o.Tolerant));
        Assert.Contains(operations, o => o is { Command: IpSetCommand.Add, SetName: "IPVSD-EXTERNAL-IPS-V4" } && o.Entry!.ToString() == "198.18.0.2,udp:53");
        Assert.Contains(operations, o => o is { Command: IpSetCommand.Delete, SetName: "IPVSD-VIRTUAL-IPS-V4" } && o.Entry!.ToString() == "198.18.0.2,udp:53");
        // A new target's allowed range is in before the target is filtered; an old target stops being filtered before its ranges go.
        Assert.Equal(["IPVSD-FW-ALLOWED-V4", "IPVSD-FW-TARGETS-V4"], operations.Where(o => o.Command == IpSetCommand.Add && o.SetName.StartsWith("IPVSD-FW", StringComparison.Ordinal)).Select(o => o.SetName));
        // The moved virtual IP, both old targets and their four ranges.
        Assert.Equal(1 + 2 + 4, operations.Count(o => o.Command == IpSetCommand.Delete));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_saved_rules_and_listed_sets_read_back_as_the_set_written(bool everything)
    {
        ServiceRuleSet written = everything ? Samples.Everything : Samples.DualStack;
        string Saved(IptablesFamily family) => IptablesRestoreInput.ForApply(written, family, IptablesSave.Empty).Replace("-I ", "-A ", StringComparison.Ordinal);
        IReadOnlyList<IpSetListing> listed = [.. Chains.Sets.Contents(written.Normalize()).Select(p =>
            new IpSetListing(p.Key, "hash:ip,port", IpSetFamily.IPv4, 1) { Entries = p.Value })];

        ServiceRuleSet? read = IptablesRuleReader.Read(IptablesSave.Parse(Saved(IptablesFamily.IPv4)), IptablesSave.Parse(Saved(IptablesFamily.IPv6)), listed);

        Assert.Equal(written, read);
        Assert.Equal(written.Normalize().SourceRanges, read!.SourceRanges);
    }

    [Fact]
    public void Elements_of_a_shape_the_backend_never_writes_are_ignored()
    {
        IReadOnlyList<IpSetListing> listed =
        [
            new("IPVSD-VIRTUAL-IPS-V4", "hash:ip,port", IpSetFamily.IPv4, 1) { Entries = [IpSetEntry.IpPort(IPAddress.Parse("198.18.0.1"), ProtocolType.Icmp, 0)] },
            new("IPVSD-HAIRPIN-V4", "hash:ip,port,ip", IpSetFamily.IPv4, 1) { Entries = [IpSetEntry.IpPortIp(IPAddress.Parse("198.18.0.1"), ProtocolType.Tcp, 80, IPAddress.Parse("198.18.0.2"))] },
        ];

        ServiceRuleSet read = Chains.Sets.Read(new ServiceRuleSet(), listed);

        Assert.Empty(read.VirtualIps);
        Assert.Empty(read.HairpinEndpoints);
    }
}
