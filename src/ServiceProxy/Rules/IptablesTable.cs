namespace ServiceProxy.Rules;

/// <summary>One table (nat or filter) of one address family as iptables-save printed it: its chains and rules.</summary>
internal sealed class IptablesTable
{
    private IptablesTable(IReadOnlySet<string> chains, IReadOnlyList<IptablesSavedRule> rules)
    {
        Chains = chains;
        Rules = rules;
    }

    /// <summary>An empty table, as on a host where nothing was installed.</summary>
    public static IptablesTable Empty { get; } = new(new HashSet<string>(StringComparer.Ordinal), []);

    /// <summary>Every chain, built-in and user-defined.</summary>
    public IReadOnlySet<string> Chains { get; }

    /// <summary>Every rule, in the order printed (chain by chain, in evaluation order).</summary>
    public IReadOnlyList<IptablesSavedRule> Rules { get; }

    /// <summary>The chains the backend owns (named with <see cref="IptablesChains.Prefix"/>).</summary>
    public IEnumerable<string> OwnedChains(IptablesChains chains) => Chains.Where(chains.Owns);

    /// <summary>The rules of built-in chains that jump into a chain this library owns.</summary>
    public IEnumerable<IptablesSavedRule> JumpsIntoOwnedChains(IptablesChains chains) => Rules.Where(r => IptablesChains.IsBuiltIn(r.Chain) && chains.Owns(r.Target));

    /// <summary>Whether anything of this library's is in the table.</summary>
    public bool HasOwnedObjects(IptablesChains chains) => OwnedChains(chains).Any() || JumpsIntoOwnedChains(chains).Any();

    /// <summary>Whether <paramref name="from"/> already has a rule jumping to <paramref name="to"/>.</summary>
    public bool HasJump(string from, string to) => Rules.Any(r => r.Chain == from && r.Target == to);

    /// <summary>The rules of one chain, in order.</summary>
    public IEnumerable<IptablesSavedRule> RulesOf(string chain) => Rules.Where(r => r.Chain == chain);

    /// <summary>
    /// Parses the <c>*nat</c> section (or that of <paramref name="table"/>) of iptables-save output; other tables, comments
    /// and counters are skipped. No such section gives an empty table.
    /// </summary>
    public static IptablesTable Parse(string saveOutput, string table = "nat")
    {
        ArgumentNullException.ThrowIfNull(saveOutput);
        var chains = new HashSet<string>(StringComparer.Ordinal);
        var rules = new List<IptablesSavedRule>();
        bool inTable = false;
        string header = "*" + table;
        foreach (string raw in saveOutput.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith('*'))
            {
                inTable = line == header;
            }
            else if (!inTable || line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            else if (line == "COMMIT")
            {
                inTable = false;
            }
            else if (line.StartsWith(':'))
            {
                int space = line.IndexOf(' ', StringComparison.Ordinal);
                chains.Add(space < 0 ? line[1..] : line[1..space]);
            }
            else if (line.StartsWith('[') && line.Contains("] -A ", StringComparison.Ordinal))
            {
                // iptables-save -c prefixes each rule with its counters: [packets:bytes] -A ...
                AddRule(line[(line.IndexOf(']', StringComparison.Ordinal) + 2)..]);
            }
            else
            {
                AddRule(line);
            }
        }
        return new IptablesTable(chains, rules);

        void AddRule(string line)
        {
            if (IptablesSavedRule.Parse(line) is { } rule)
            {
                rules.Add(rule);
            }
        }
    }
}
