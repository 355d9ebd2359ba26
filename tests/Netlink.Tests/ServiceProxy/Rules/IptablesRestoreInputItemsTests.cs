using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Rules;

/// <summary>
/// The iptables rules of what Kubernetes needs beyond marking, line for line, and their reading back: external virtual
/// IPs and hairpin endpoints in the nat table; source ranges and unknown ports in the filter table.
/// </summary>
public sealed class IptablesRestoreInputItemsTests
{
    private static string[] Lines(string input, string chain) => [.. input.Split('\n').Where(l => l.StartsWith("-A " + chain + " ", StringComparison.Ordinal))];

    [Fact]
    public void External_virtual_IPs_jump_to_the_mark_from_every_source_and_hairpin_endpoints_are_masqueraded()
    {
        string input = IptablesRestoreInput.ForApply(Samples.Everything, IptablesFamily.IPv4, IptablesSave.Empty);

        Assert.Equal(
        [
            "-A IPVSD-SERVICES -d 198.18.0.1/32 -p tcp -m tcp --dport 80 -j IPVSD-VIRTUAL-IP",
            "-A IPVSD-SERVICES -d 198.18.0.2/32 -p udp -m udp --dport 53 -j IPVSD-VIRTUAL-IP",
            "-A IPVSD-SERVICES -d 198.18.0.10/32 -p tcp -m tcp --dport 80 -j IPVSD-MARK-MASQ",
            "-A IPVSD-SERVICES -p tcp -m tcp --dport 30080 -m addrtype --dst-type LOCAL -j IPVSD-MARK-MASQ",
            "-A IPVSD-SERVICES -p udp -m udp --dport 30053 -m addrtype --dst-type LOCAL -j IPVSD-MARK-MASQ",
        ], Lines(input, "IPVSD-SERVICES"));
        Assert.Equal(
        [
            "-A IPVSD-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE",
            "-A IPVSD-POSTROUTING -s 198.18.1.2/32 -d 198.18.1.2/32 -p tcp -m tcp --dport 8080 -j MASQUERADE",
        ], Lines(input, "IPVSD-POSTROUTING"));
    }

    [Fact]
    public void The_filter_table_drops_sources_outside_the_ranges_and_rejects_unknown_ports()
    {
        string input = IptablesRestoreInput.ForApply(Samples.Everything, IptablesFamily.IPv4, IptablesSave.Empty);

        string filter = input[input.IndexOf("*filter\n", StringComparison.Ordinal)..];
        Assert.Equal("""
            *filter
            :IPVSD-FIREWALL - [0:0]
            :IPVSD-IPVS-FILTER - [0:0]
            -A IPVSD-FIREWALL -s 198.18.5.0/24 -p tcp -m conntrack --ctorigdst 198.18.0.10 --ctorigdstport 80 --ctdir ORIGINAL -j RETURN
            -A IPVSD-FIREWALL -s 198.18.6.7/32 -p tcp -m conntrack --ctorigdst 198.18.0.10 --ctorigdstport 80 --ctdir ORIGINAL -j RETURN
            -A IPVSD-FIREWALL -s 198.18.16.0/20 -p tcp -m conntrack --ctorigdst 198.18.0.10 --ctorigdstport 80 --ctdir ORIGINAL -j RETURN
            -A IPVSD-FIREWALL -p tcp -m conntrack --ctorigdst 198.18.0.10 --ctorigdstport 80 --ctdir ORIGINAL -j DROP
            -A IPVSD-IPVS-FILTER -d 198.18.0.1/32 -p tcp -m tcp --dport 80 -j RETURN
            -A IPVSD-IPVS-FILTER -d 198.18.0.2/32 -p udp -m udp --dport 53 -j RETURN
            -A IPVSD-IPVS-FILTER -d 198.18.0.10/32 -p tcp -m tcp --dport 80 -j RETURN
            -A IPVSD-IPVS-FILTER -d 198.18.0.11/32 -p udp -m udp --dport 53 -j RETURN
            -A IPVSD-IPVS-FILTER -d 198.18.0.1/32 -p tcp -m conntrack --ctstate NEW -j REJECT --reject-with tcp-reset
            -A IPVSD-IPVS-FILTER -d 198.18.0.1/32 -p udp -m conntrack --ctstate NEW -j REJECT --reject-with icmp-port-unreachable
            -A IPVSD-IPVS-FILTER -d 198.18.0.1/32 -p sctp -m conntrack --ctstate NEW -j REJECT --reject-with icmp-port-unreachable
            -A IPVSD-IPVS-FILTER -d 198.18.0.10/32 -p tcp -m conntrack --ctstate NEW -j REJECT --reject-with tcp-reset
            -A IPVSD-IPVS-FILTER -d 198.18.0.10/32 -p udp -m conntrack --ctstate NEW -j REJECT --reject-with icmp-port-unreachable
            -A IPVSD-IPVS-FILTER -d 198.18.0.10/32 -p sctp -m conntrack --ctstate NEW -j REJECT --reject-with icmp-port-unreachable
            -I INPUT -m comment --comment "ipvsd load balancer source ranges" -j IPVSD-FIREWALL
            -I OUTPUT -m comment --comment "ipvsd load balancer source ranges" -j IPVSD-FIREWALL
            -I INPUT -m comment --comment "ipvsd unknown ports on virtual IPs" -j IPVSD-IPVS-FILTER
            COMMIT

            """, filter);
    }

    [Fact]
    public void IPv6_rejects_with_ICMPv6_and_lists_only_IPv6_items()
    {
        string input = IptablesRestoreInput.ForApply(Samples.Everything, IptablesFamily.IPv6, IptablesSave.Empty);

        Assert.Contains("-A IPVSD-IPVS-FILTER -d 2001:db8::11/128 -p udp -m conntrack --ctstate NEW -j REJECT --reject-with icmp6-port-unreachable\n", input, StringComparison.Ordinal);
        Assert.Contains("-A IPVSD-FIREWALL -s 2001:db8:5::/48 -p tcp -m conntrack --ctorigdst 2001:db8::10 --ctorigdstport 80 --ctdir ORIGINAL -j RETURN\n", input, StringComparison.Ordinal);
        Assert.Contains("-A IPVSD-POSTROUTING -s 2001:db8:1::2/128 -d 2001:db8:1::2/128 -p sctp -m sctp --dport 9000 -j MASQUERADE\n", input, StringComparison.Ordinal);
        Assert.DoesNotContain("198.18.", input, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_addresses_to_reject_on_only_the_unmarked_virtual_IPs_are_listed_in_the_filter()
    {
        ServiceRuleSet set = Samples.Everything with { RejectUnknownPortsOn = [] };

        string input = IptablesRestoreInput.ForApply(set, IptablesFamily.IPv4, IptablesSave.Empty);

        Assert.Equal(["-A IPVSD-IPVS-FILTER -d 198.18.0.11/32 -p udp -m udp --dport 53 -j RETURN"], Lines(input, "IPVSD-IPVS-FILTER"));
        Assert.Empty(Lines(IptablesRestoreInput.ForApply(Samples.DualStack, IptablesFamily.IPv4, IptablesSave.Empty), "IPVSD-IPVS-FILTER"));
    }

    [Theory]
    [InlineData("everything")]
    [InlineData("no addresses to reject on")]
    public void The_restore_input_in_saved_form_reads_back_as_the_set_written(string name)
    {
        ServiceRuleSet set = name == "everything" ? Samples.Everything : Samples.Everything with { RejectUnknownPortsOn = [] };
        // iptables-save prints "-I X" rules as "-A X", --or-mark M as --set-xmark M/M; the rest as written.
        string Saved(IptablesFamily family) => IptablesRestoreInput.ForApply(set, family, IptablesSave.Empty)
            .Replace("-I ", "-A ", StringComparison.Ordinal).Replace("--or-mark 0x4000", "--set-xmark 0x4000/0x4000", StringComparison.Ordinal);

        ServiceRuleSet? read = IptablesRuleReader.Read(IptablesSave.Parse(Saved(IptablesFamily.IPv4)), IptablesSave.Parse(Saved(IptablesFamily.IPv6)));

        Assert.Equal(set, read);
        Assert.Equal(set.Normalize().SourceRanges, read!.SourceRanges);
    }

    [Fact]
    public void A_masquerade_rule_whose_source_is_not_its_destination_is_no_hairpin_endpoint()
    {
        string saved = "*nat\n:IPVSD-POSTROUTING - [0:0]\n-A IPVSD-POSTROUTING -s 198.18.1.3/32 -d 198.18.1.2/32 -p tcp -m tcp --dport 8080 -j MASQUERADE\nCOMMIT\n";

        ServiceRuleSet? read = IptablesRuleReader.Read(IptablesSave.Parse(saved), IptablesSave.Empty);

        Assert.NotNull(read);
        Assert.Empty(read.HairpinEndpoints);
    }

    [Fact]
    public void Remove_also_empties_and_deletes_the_filter_chains_and_their_jumps()
    {
        string saved = IptablesRestoreInput.ForApply(Samples.Everything, IptablesFamily.IPv4, IptablesSave.Empty).Replace("-I ", "-A ", StringComparison.Ordinal);

        string? input = IptablesRestoreInput.ForRemove(IptablesSave.Parse(saved));

        Assert.NotNull(input);
        Assert.Contains("*filter\n-D INPUT -m comment --comment \"ipvsd load balancer source ranges\" -j IPVSD-FIREWALL\n", input, StringComparison.Ordinal);
        Assert.Contains("-X IPVSD-FIREWALL\n-X IPVSD-IPVS-FILTER\nCOMMIT\n", input, StringComparison.Ordinal);
    }
}
