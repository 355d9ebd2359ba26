using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Rules;

/// <summary>The iptables-restore input the backend writes, line for line.</summary>
public sealed class IptablesRestoreInputTests
{
    /// <summary>The filter section for a set without source ranges, unmarked virtual IPs or addresses to reject on: empty chains and their jumps.</summary>
    private const string FilterOfASetWithoutFilterItems = """
        *filter
        :IPVSD-FIREWALL - [0:0]
        :IPVSD-IPVS-FILTER - [0:0]
        -I INPUT -m comment --comment "ipvsd load balancer source ranges" -j IPVSD-FIREWALL
        -I OUTPUT -m comment --comment "ipvsd load balancer source ranges" -j IPVSD-FIREWALL
        -I INPUT -m comment --comment "ipvsd unknown ports on virtual IPs" -j IPVSD-IPVS-FILTER
        COMMIT

        """;

    [Fact]
    public void IPv4_input_for_a_fresh_table_declares_the_chains_fills_them_and_inserts_the_jumps()
    {
        string input = IptablesRestoreInput.ForApply(Samples.DualStack, IptablesFamily.IPv4, IptablesSave.Parse(Samples.EmptyNatSave));

        Assert.Equal("""
            *nat
            :IPVSD-SERVICES - [0:0]
            :IPVSD-VIRTUAL-IP - [0:0]
            :IPVSD-MARK-MASQ - [0:0]
            :IPVSD-POSTROUTING - [0:0]
            -A IPVSD-SERVICES -d 198.18.0.1/32 -p tcp -m tcp --dport 80 -j IPVSD-VIRTUAL-IP
            -A IPVSD-SERVICES -d 198.18.0.2/32 -p udp -m udp --dport 53 -j IPVSD-VIRTUAL-IP
            -A IPVSD-SERVICES -p tcp -m tcp --dport 30080 -m addrtype --dst-type LOCAL -j IPVSD-MARK-MASQ
            -A IPVSD-SERVICES -p udp -m udp --dport 30053 -m addrtype --dst-type LOCAL -j IPVSD-MARK-MASQ
            -A IPVSD-VIRTUAL-IP ! -s 198.19.0.0/16 -j IPVSD-MARK-MASQ
            -A IPVSD-MARK-MASQ -j MARK --or-mark 0x4000
            -A IPVSD-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE
            -I PREROUTING -m comment --comment "ipvsd service traffic" -j IPVSD-SERVICES
            -I OUTPUT -m comment --comment "ipvsd service traffic" -j IPVSD-SERVICES
            -I POSTROUTING -m comment --comment "ipvsd masquerade marked traffic" -j IPVSD-POSTROUTING
            COMMIT

            """ + FilterOfASetWithoutFilterItems, input);
    }

    [Fact]
    public void IPv6_input_has_the_IPv6_virtual_IPs_and_CIDR_and_the_same_node_ports()
    {
        string input = IptablesRestoreInput.ForApply(Samples.DualStack, IptablesFamily.IPv6, IptablesSave.Parse(Samples.EmptyNatSave));

        Assert.Equal("""
            *nat
            :IPVSD-SERVICES - [0:0]
            :IPVSD-VIRTUAL-IP - [0:0]
            :IPVSD-MARK-MASQ - [0:0]
            :IPVSD-POSTROUTING - [0:0]
            -A IPVSD-SERVICES -d 2001:db8::1/128 -p tcp -m tcp --dport 443 -j IPVSD-VIRTUAL-IP
            -A IPVSD-SERVICES -d 2001:db8::3/128 -p sctp -m sctp --dport 9000 -j IPVSD-VIRTUAL-IP
            -A IPVSD-SERVICES -p tcp -m tcp --dport 30080 -m addrtype --dst-type LOCAL -j IPVSD-MARK-MASQ
            -A IPVSD-SERVICES -p udp -m udp --dport 30053 -m addrtype --dst-type LOCAL -j IPVSD-MARK-MASQ
            -A IPVSD-VIRTUAL-IP ! -s 2001:db8:ff::/48 -j IPVSD-MARK-MASQ
            -A IPVSD-MARK-MASQ -j MARK --or-mark 0x4000
            -A IPVSD-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE
            -I PREROUTING -m comment --comment "ipvsd service traffic" -j IPVSD-SERVICES
            -I OUTPUT -m comment --comment "ipvsd service traffic" -j IPVSD-SERVICES
            -I POSTROUTING -m comment --comment "ipvsd masquerade marked traffic" -j IPVSD-POSTROUTING
            COMMIT

            """ + FilterOfASetWithoutFilterItems, input);
    }

    [Fact]
    public void Jumps_that_are_already_there_are_not_added_again()
    {
        string input = IptablesRestoreInput.ForApply(Samples.DualStack, IptablesFamily.IPv4, IptablesSave.Parse(Samples.CapturedIpv4Save));

        Assert.DoesNotContain("-I ", input, StringComparison.Ordinal);
        Assert.DoesNotContain("DOCKER", input, StringComparison.Ordinal);
        Assert.StartsWith("*nat\n:IPVSD-SERVICES - [0:0]\n", input, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_missing_jump_is_added()
    {
        string saved = Samples.CapturedIpv4Save.Replace("-A OUTPUT -m comment --comment \"ipvsd service traffic\" -j IPVSD-SERVICES\n", "", StringComparison.Ordinal);

        string input = IptablesRestoreInput.ForApply(Samples.DualStack, IptablesFamily.IPv4, IptablesSave.Parse(saved));

        Assert.Equal(["-I OUTPUT -m comment --comment \"ipvsd service traffic\" -j IPVSD-SERVICES"], input.Split('\n').Where(l => l.StartsWith("-I", StringComparison.Ordinal)));
    }

    [Fact]
    public void Masquerade_all_marks_every_virtual_IP_packet_and_another_mark_is_written_in_hex()
    {
        ServiceRuleSet set = Samples.DualStack with { ClusterCidrs = [], MasqueradeAll = true, MasqueradeMark = 0x10000 };

        string input = IptablesRestoreInput.ForApply(set, IptablesFamily.IPv4, IptablesSave.Empty);

        Assert.Contains("\n-A IPVSD-VIRTUAL-IP -j IPVSD-MARK-MASQ\n", input, StringComparison.Ordinal);
        Assert.Contains("\n-A IPVSD-MARK-MASQ -j MARK --or-mark 0x10000\n", input, StringComparison.Ordinal);
        Assert.Contains("\n-A IPVSD-POSTROUTING -m mark --mark 0x10000/0x10000 -j MASQUERADE\n", input, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_CIDR_for_the_family_virtual_IP_traffic_is_not_marked()
    {
        ServiceRuleSet set = Samples.DualStack with { ClusterCidrs = [System.Net.IPNetwork.Parse("198.19.0.0/16")] };

        string input = IptablesRestoreInput.ForApply(set, IptablesFamily.IPv6, IptablesSave.Empty);

        Assert.DoesNotContain("-A IPVSD-VIRTUAL-IP", input, StringComparison.Ordinal);
        Assert.Contains(":IPVSD-VIRTUAL-IP - [0:0]", input, StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_deletes_the_jumps_as_saved_then_empties_and_deletes_the_owned_chains_of_both_tables()
    {
        string? input = IptablesRestoreInput.ForRemove(IptablesSave.Parse(Samples.CapturedIpv4Save));

        Assert.Equal("""
            *nat
            -D PREROUTING -m comment --comment "ipvsd service traffic" -j IPVSD-SERVICES
            -D OUTPUT -m comment --comment "ipvsd service traffic" -j IPVSD-SERVICES
            -D POSTROUTING -m comment --comment "ipvsd masquerade marked traffic" -j IPVSD-POSTROUTING
            :IPVSD-MARK-MASQ - [0:0]
            :IPVSD-POSTROUTING - [0:0]
            :IPVSD-SERVICES - [0:0]
            :IPVSD-VIRTUAL-IP - [0:0]
            -X IPVSD-MARK-MASQ
            -X IPVSD-POSTROUTING
            -X IPVSD-SERVICES
            -X IPVSD-VIRTUAL-IP
            COMMIT
            *filter
            -D INPUT -m comment --comment "ipvsd unknown ports on virtual IPs" -j IPVSD-IPVS-FILTER
            -D INPUT -m comment --comment "ipvsd load balancer source ranges" -j IPVSD-FIREWALL
            -D OUTPUT -m comment --comment "ipvsd load balancer source ranges" -j IPVSD-FIREWALL
            :IPVSD-FIREWALL - [0:0]
            :IPVSD-IPVS-FILTER - [0:0]
            -X IPVSD-FIREWALL
            -X IPVSD-IPVS-FILTER
            COMMIT

            """, input);
    }

    [Fact]
    public void Remove_with_nothing_installed_has_no_input()
    {
        Assert.Null(IptablesRestoreInput.ForRemove(IptablesSave.Parse(Samples.EmptyNatSave)));
    }
}
