using Netlink.Netfilter.IpSet;

namespace ServiceProxy.Rules;

/// <summary>
/// The service rules in iptables with the lists in ipsets, for hosts whose other software still uses iptables: kube-proxy's
/// IPVS-mode shape. A fixed handful of rules per address family (see <see cref="IptablesRestoreInput.Rules"/> and
/// <see cref="IptablesFilterRules"/>) match sets of virtual IPs, node ports, source ranges and hairpin endpoints
/// (<see cref="IptablesSets"/>), so a new connection costs a hash lookup however many services there are, and a change of
/// one service is one set element added or removed over netlink (<see cref="Apply(ServiceRuleChange)"/>), whatever the
/// number installed. Works with both the nft and the legacy variant of iptables; needs ip_set, its hash:ip,
/// hash:ip,port, hash:ip,port,ip, hash:ip,port,net and bitmap:port types, and xt_set.
/// <para>
/// The rules are written by one <c>iptables-restore --noflush</c> per family that empties and refills the owned chains
/// (nat: SERVICES, VIRTUAL-IP, MARK-MASQ, POSTROUTING; filter: IPVS-FILTER; mangle: FIREWALL, all with
/// <see cref="ServiceRulesOptions.ChainPrefix"/>), atomic per family; jumps into them are added first in the built-in
/// chains only when iptables-save shows them missing. The sets are talked to directly (<see cref="IpSetClient"/>), no
/// ipset program runs; iptables programs run through CliWrap without a shell, in a network namespace under
/// <c>nsenter --net=FILE</c>.
/// </para>
/// </summary>
public sealed class IptablesServiceRules : IServiceRulesBackend
{
    private readonly IIptablesRunner _runner;
    private readonly IIpSetClient _sets;
    private readonly IptablesChains _chains;

    /// <summary>
    /// Works in <see cref="ServiceRulesOptions.Namespace"/> when given (through nsenter, and a netlink socket opened
    /// there), else in the caller's network namespace, on the chains and sets named by <see cref="ServiceRulesOptions.ChainPrefix"/>.
    /// </summary>
    public IptablesServiceRules(ServiceRulesOptions? options = null)
        : this(new IptablesCommandRunner((options ??= ServiceRulesOptions.Default).Namespace, chainPrefix: options.ChainPrefix),
            IpSetClient.Open(new IpSetClientOptions { Namespace = options.Namespace }), options)
    {
    }

    internal IptablesServiceRules(IIptablesRunner runner, IIpSetClient sets, ServiceRulesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(sets);
        options ??= ServiceRulesOptions.Default;
        options.Validate();
        _runner = runner;
        _sets = sets;
        _chains = new IptablesChains(options);
    }

    /// <inheritdoc />
    public ServiceRulesBackendKind Kind => ServiceRulesBackendKind.Iptables;

    /// <summary>
    /// Fills every set with <paramref name="rules"/>' elements, then writes the rules of both families. A set that exists
    /// is rebuilt as a temporary copy and swapped in, so rules matching it see the old elements or the new ones, never a
    /// half-filled set; a new one is filled directly, since no rule refers to it yet. Sets are swapped one after another,
    /// so for a moment some lists may be new and others old.
    /// </summary>
    /// <exception cref="IptablesException">An iptables program is missing or refused the rules.</exception>
    /// <exception cref="IpSetException">The kernel refused a set operation (ip_set missing, a set of ours with another type).</exception>
    public void Apply(ServiceRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        ServiceRuleSet set = rules.Normalize();
        FillSets(_chains.Sets.Contents(set));
        WriteRules(set);
    }

    /// <summary>
    /// Adds and removes the set elements of <paramref name="change"/> over netlink (every add before any delete, in
    /// batches of hundreds per system call), and rewrites the rules only when the settings changed. A change of one
    /// service costs the same with ten services installed or ten thousand.
    /// </summary>
    /// <exception cref="IpSetException">The kernel refused an element (a set of ours is gone: apply the whole set to repair).</exception>
    public void Apply(ServiceRuleChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.SettingsChanged)
        {
            WriteRules(change.To);
        }
        using var batch = new IpSetBatch();
        _chains.Sets.AppendChange(batch, change);
        _sets.Execute(batch);
    }

    private void FillSets(Dictionary<string, List<IpSetEntry>> contents)
    {
        HashSet<string> existing = [.. _sets.List(headersOnly: true).Select(s => s.Name)];
        using var batch = new IpSetBatch();
        foreach (IpSetDefinition definition in _chains.Sets.All)
        {
            byte revision = _sets.Revision(definition.Type, definition.Family);
            List<IpSetEntry> entries = contents[definition.Name];
            if (!existing.Contains(definition.Name))
            {
                batch.Create(definition, revision);
                Fill(batch, definition.Name, entries);
                continue;
            }
            string temporary = definition.Name + IptablesSets.TemporarySuffix;
            if (existing.Contains(temporary))
            {
                // Left by an apply that died halfway; its contents are stale.
                batch.Destroy(temporary);
            }
            batch.Create(definition with { Name = temporary }, revision);
            Fill(batch, temporary, entries);
            batch.Swap(definition.Name, temporary);
            batch.Destroy(temporary);
        }
        _sets.Execute(batch);
    }

    private static void Fill(IpSetBatch batch, string set, List<IpSetEntry> entries)
    {
        foreach (IpSetEntry entry in entries)
        {
            batch.Add(set, entry);
        }
    }

    private void WriteRules(ServiceRuleSet settings)
    {
        foreach (IptablesFamily family in IptablesFamily.Both)
        {
            IptablesSave installed = IptablesSave.Parse(_runner.Save(family));
            _runner.Restore(family, IptablesRestoreInput.ForApply(settings, family, installed, _chains));
        }
    }

    /// <inheritdoc />
    /// <exception cref="IptablesException">An iptables program is missing or failed.</exception>
    public ServiceRuleSet? Read()
    {
        IptablesSave ipv4 = IptablesSave.Parse(_runner.Save(IptablesFamily.IPv4));
        IptablesSave ipv6 = IptablesSave.Parse(_runner.Save(IptablesFamily.IPv6));
        if (!ipv4.HasOwnedObjects(_chains) && !ipv6.HasOwnedObjects(_chains))
        {
            return null;
        }
        IReadOnlyList<IpSetListing> sets = [.. _sets.List(headersOnly: true).Where(s => _chains.Sets.Owns(s.Name)).SelectMany(s => _sets.List(s.Name))];
        return IptablesRuleReader.Read(ipv4, ipv6, sets, _chains);
    }

    /// <summary>Removes the rules of both families, then every set whose name starts with the prefix (no rule refers to them then).</summary>
    /// <exception cref="IptablesException">An iptables program is missing or refused the removal.</exception>
    public void Remove()
    {
        foreach (IptablesFamily family in IptablesFamily.Both)
        {
            if (IptablesRestoreInput.ForRemove(IptablesSave.Parse(_runner.Save(family)), _chains) is { } input)
            {
                _runner.Restore(family, input);
            }
        }
        using var batch = new IpSetBatch();
        foreach (IpSetListing set in _sets.List(headersOnly: true).Where(s => _chains.Sets.Owns(s.Name)))
        {
            batch.Destroy(set.Name);
        }
        _sets.Execute(batch);
    }

    /// <summary>Closes the ipset socket; the iptables programs have all run to completion.</summary>
    public void Dispose() => _sets.Dispose();
}
