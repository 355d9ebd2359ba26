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
    public void Tables_without_owned_chains_read_as_nothing_installed()
    {
        Assert.Null(IptablesRuleReader.Read(IptablesSave.Parse(Samples.EmptyNatSave), IptablesSave.Parse(""), []));
    }
}
