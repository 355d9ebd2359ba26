using System.Net;
using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Rules;

/// <summary>Reading iptables-save output (captured from a real host) back into the model.</summary>
public sealed class IptablesSaveParsingTests
{
    [Fact]
    public void The_nat_section_is_parsed_and_other_tables_are_skipped()
    {
        IptablesTable table = IptablesTable.Parse(Samples.CapturedIpv4Save);

        Assert.Equal(["DOCKER", "INPUT", "IPVSD-MARK-MASQ", "IPVSD-POSTROUTING", "IPVSD-SERVICES", "IPVSD-VIRTUAL-IP", "OUTPUT", "POSTROUTING", "PREROUTING"],
            table.Chains.Order(StringComparer.Ordinal));
        Assert.Equal(14, table.Rules.Count);
        Assert.DoesNotContain(table.Rules, r => r.Chain == "FORWARD");
        Assert.Equal(3, table.JumpsIntoOwnedChains(IptablesChains.Default).Count());
    }

    [Fact]
    public void A_rule_line_is_split_into_its_options()
    {
        IptablesSavedRule rule = IptablesSavedRule.Parse("-A IPVSD-VIRTUAL-IP ! -s 198.19.0.0/16 -m comment --comment \"a \\\"quoted\\\" word\" -j IPVSD-MARK-MASQ")!;

        Assert.Equal("IPVSD-VIRTUAL-IP", rule.Chain);
        Assert.Equal("198.19.0.0/16", rule.Source);
        Assert.True(rule.SourceNegated);
        Assert.Equal("a \"quoted\" word", rule.Comment);
        Assert.Equal("IPVSD-MARK-MASQ", rule.Target);
        Assert.Empty(rule.OtherOptions);
    }

    [Fact]
    public void Options_the_backend_never_writes_are_kept_apart()
    {
        IptablesSavedRule rule = IptablesSavedRule.Parse("-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80")!;

        Assert.Equal("tcp", rule.Protocol);
        Assert.Equal("8080", rule.DestinationPort);
        Assert.Contains("! -i", rule.OtherOptions);
        Assert.Contains("--to-destination", rule.OtherOptions);
        Assert.Null(IptablesSavedRule.Parse(":DOCKER - [0:0]"));
    }

    [Fact]
    public void Captured_IPv4_and_IPv6_tables_read_back_as_the_set_that_was_applied()
    {
        ServiceRuleSet? read = IptablesRuleReader.Read(IptablesSave.Parse(Samples.CapturedIpv4Save), IptablesSave.Parse(Samples.CapturedIpv6SaveWithCounters));

        var expected = new ServiceRuleSet
        {
            MasqueradeMark = 0x4000,
            VirtualIps =
            [
                new(IPAddress.Parse("198.18.0.1"), ServiceProtocol.Tcp, 80),
                new(IPAddress.Parse("198.18.0.2"), ServiceProtocol.Udp, 53),
                new(IPAddress.Parse("2001:db8::1"), ServiceProtocol.Tcp, 443),
            ],
            NodePorts = [new(ServiceProtocol.Tcp, 30080)],
            ClusterCidrs = [IPNetwork.Parse("198.19.0.0/16"), IPNetwork.Parse("2001:db8:ff::/48")],
        };
        Assert.Equal(expected, read);
        Assert.Equal(expected.Normalize().VirtualIps, read!.VirtualIps);
    }

    [Fact]
    public void Tables_without_owned_chains_read_as_nothing_installed()
    {
        Assert.Null(IptablesRuleReader.Read(IptablesSave.Parse(Samples.EmptyNatSave), IptablesSave.Parse("")));
    }

    [Fact]
    public void The_restore_input_in_saved_form_reads_back_as_the_set_written()
    {
        // iptables-save prints "-I X" rules as "-A X" and --or-mark M as --set-xmark M/M; the rest as written.
        string Saved(IptablesFamily family) => IptablesRestoreInput.ForApply(Samples.DualStack, family, IptablesSave.Empty)
            .Replace("-I ", "-A ", StringComparison.Ordinal).Replace("--or-mark 0x4000", "--set-xmark 0x4000/0x4000", StringComparison.Ordinal);

        ServiceRuleSet? read = IptablesRuleReader.Read(IptablesSave.Parse(Saved(IptablesFamily.IPv4)), IptablesSave.Parse(Saved(IptablesFamily.IPv6)));

        Assert.Equal(Samples.DualStack, read);
    }

    [Fact]
    public void A_virtual_IP_rule_someone_widened_to_a_subnet_is_not_read_as_a_virtual_IP()
    {
        string saved = Samples.CapturedIpv4Save.Replace("-d 198.18.0.1/32", "-d 198.18.0.0/24", StringComparison.Ordinal);

        ServiceRuleSet? read = IptablesRuleReader.Read(IptablesSave.Parse(saved), IptablesSave.Empty);

        Assert.Equal([new VirtualIp(IPAddress.Parse("198.18.0.2"), ServiceProtocol.Udp, 53)], read!.VirtualIps);
    }
}
