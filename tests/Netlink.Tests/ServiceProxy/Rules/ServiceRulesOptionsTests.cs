using Netlink.Netfilter.NfTables;
using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Rules;

/// <summary>The names a backend uses are options: two owners can keep their own rules on one host.</summary>
public sealed class ServiceRulesOptionsTests
{
    private static readonly ServiceRulesOptions Other = new() { TableName = "lb-other", ChainPrefix = "LBO-", Owner = "lb-other" };

    [Fact]
    public void Iptables_chains_and_jump_comments_follow_the_options()
    {
        string input = IptablesRestoreInput.ForApply(Samples.DualStack, IptablesFamily.IPv4, IptablesSave.Empty, new IptablesChains(Other));

        Assert.DoesNotContain("IPVSD", input, StringComparison.Ordinal);
        Assert.DoesNotContain("ipvsd", input, StringComparison.Ordinal);
        Assert.Contains(":LBO-SERVICES - [0:0]\n", input, StringComparison.Ordinal);
        Assert.Contains("-A LBO-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE\n", input, StringComparison.Ordinal);
        Assert.Contains("-I PREROUTING -m comment --comment \"lb-other service traffic\" -j LBO-SERVICES\n", input, StringComparison.Ordinal);
    }

    [Fact]
    public void Iptables_remove_and_read_touch_only_the_chains_of_their_own_prefix()
    {
        var theirs = new IptablesChains(Other);
        string saved = IptablesRestoreInput.ForApply(Samples.DualStack, IptablesFamily.IPv4, IptablesSave.Empty)
            .Replace("*nat\n", "*nat\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n", StringComparison.Ordinal)
            .Replace("-I ", "-A ", StringComparison.Ordinal);
        IptablesSave table = IptablesSave.Parse(saved);

        Assert.Null(IptablesRestoreInput.ForRemove(table, theirs));
        Assert.Null(IptablesRuleReader.Read(table, IptablesSave.Empty, [], theirs));
        Assert.NotNull(IptablesRestoreInput.ForRemove(table));
    }

    [Fact]
    public void Nftables_transaction_uses_the_table_of_the_options()
    {
        using Transaction transaction = NfTablesServiceRules.CreateApplyTransaction(Samples.DualStack, Other.TableName);
        List<string> described = [.. Enumerable.Range(0, transaction.Count).Select(i => transaction.Describe(i).ToString())];
        Assert.All(described, line => Assert.DoesNotContain("ipvsd", line, StringComparison.Ordinal));
        Assert.Contains(described, line => line.Contains("lb-other", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "IPVSD-", "table name")]
    [InlineData("has space", "IPVSD-", "table name")]
    [InlineData("ipvsd", "", "chain prefix")]
    [InlineData("ipvsd", "A-PREFIX-TOO-LONG-", "chain prefix")]
    [InlineData("ipvsd", "PREFIX-15-CHARS", "chain prefix")]
    [InlineData("ipvsd", "BAD PREFIX", "chain prefix")]
    public void Unusable_names_are_refused_naming_the_setting(string table, string prefix, string named)
    {
        var options = new ServiceRulesOptions { TableName = table, ChainPrefix = prefix };
        ArgumentException e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.StartsWith(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_longest_prefix_still_fits_iptables_chain_and_ipset_names()
    {
        var options = new ServiceRulesOptions { ChainPrefix = new string('P', 14) };
        options.Validate();
        var chains = new IptablesChains(options);
        Assert.All(chains.All.Concat(chains.FilterChains).Concat(chains.MangleChains), chain => Assert.True(chain.Length <= 28, chain));
        // The temporary copy a whole apply fills has the longest name; ipset allows 31 bytes.
        Assert.All(chains.Sets.All, set => Assert.True((set.Name + IptablesSets.TemporarySuffix).Length <= 31, set.Name));
        Assert.Equal(31, chains.Sets.All.Max(s => (s.Name + IptablesSets.TemporarySuffix).Length));
    }
}
