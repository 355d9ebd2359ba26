namespace ServiceProxy.Rules;

/// <summary>
/// The service rules in iptables' nat and filter tables, for hosts whose other software still uses iptables. IPv4 rules
/// go through <c>iptables-restore</c> and IPv6 rules through <c>ip6tables-restore</c>; works with both the nft and the
/// legacy variant of iptables.
/// <para>
/// Owns four chains in each family's nat table and two in its filter table, with jumps into them first in PREROUTING,
/// OUTPUT and POSTROUTING (nat) and INPUT and OUTPUT (filter) (shown with the default
/// <see cref="ServiceRulesOptions.ChainPrefix"/>; the filter chains are described by <see cref="IptablesFilterRules"/>):
/// </para>
/// <code>
/// IPVSD-SERVICES     -d VIP/32 -p tcp -m tcp --dport PORT -j IPVSD-VIRTUAL-IP             (one per virtual IP)
///                    -d VIP/32 -p tcp -m tcp --dport PORT -j IPVSD-MARK-MASQ              (one per external virtual IP)
///                    -p tcp -m tcp --dport PORT -m addrtype --dst-type LOCAL -j IPVSD-MARK-MASQ  (one per node port)
/// IPVSD-VIRTUAL-IP   ! -s CLUSTER-CIDR -j IPVSD-MARK-MASQ   (or -j IPVSD-MARK-MASQ for MasqueradeAll, or nothing)
/// IPVSD-MARK-MASQ    -j MARK --or-mark 0x4000
/// IPVSD-POSTROUTING  -m mark --mark 0x4000/0x4000 -j MASQUERADE
///                    -s EP/32 -d EP/32 -p tcp -m tcp --dport PORT -j MASQUERADE          (one per hairpin endpoint)
/// IPVSD-FIREWALL     (filter) drops the sources a load balancer IP does not allow
/// IPVSD-IPVS-FILTER  (filter) rejects new connections to a virtual IP address on a port that is no service
/// </code>
/// <para>
/// Each family is updated by one <c>iptables-restore --noflush</c> that empties and refills the owned chains, so the
/// update is atomic per family (the IPv4 and IPv6 updates are two steps). Jumps are added only when iptables-save shows
/// them missing, so repeated applies add no duplicates. Read back parses <c>iptables-save</c>. Programs run through
/// CliWrap without a shell; in a network namespace under <c>nsenter --net=FILE</c>.
/// </para>
/// </summary>
public sealed class IptablesServiceRules : IServiceRulesBackend
{
    private readonly IIptablesRunner _runner;
    private readonly IptablesChains _chains;

    /// <summary>
    /// Works in <see cref="ServiceRulesOptions.Namespace"/> when given (through nsenter), else in the caller's network
    /// namespace, on the chains named by <see cref="ServiceRulesOptions.ChainPrefix"/>.
    /// </summary>
    public IptablesServiceRules(ServiceRulesOptions? options = null)
        : this(new IptablesCommandRunner((options ??= ServiceRulesOptions.Default).Namespace, chainPrefix: options.ChainPrefix), options)
    {
    }

    internal IptablesServiceRules(IIptablesRunner runner, ServiceRulesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        options ??= ServiceRulesOptions.Default;
        options.Validate();
        _runner = runner;
        _chains = new IptablesChains(options);
    }

    /// <inheritdoc />
    public ServiceRulesBackendKind Kind => ServiceRulesBackendKind.Iptables;

    /// <inheritdoc />
    /// <exception cref="IptablesException">An iptables program is missing or refused the rules.</exception>
    public void Apply(ServiceRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        foreach (IptablesFamily family in IptablesFamily.Both)
        {
            IptablesSave installed = IptablesSave.Parse(_runner.Save(family));
            _runner.Restore(family, IptablesRestoreInput.ForApply(rules, family, installed, _chains));
        }
    }

    /// <inheritdoc />
    /// <exception cref="IptablesException">An iptables program is missing or failed.</exception>
    public ServiceRuleSet? Read() =>
        IptablesRuleReader.Read(IptablesSave.Parse(_runner.Save(IptablesFamily.IPv4)), IptablesSave.Parse(_runner.Save(IptablesFamily.IPv6)), _chains);

    /// <inheritdoc />
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
    }

    /// <summary>Nothing to release: every call runs its programs to completion.</summary>
    public void Dispose()
    {
    }
}
