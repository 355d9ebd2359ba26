using ServiceProxy.Kubernetes.Translation;
using ServiceProxy.Reconciling;
using ServiceProxy.Rules;

namespace ServiceProxy.Kubernetes.Reconciling;

/// <summary>
/// Hands what a <see cref="KubernetesDesiredState"/> accumulated to a <see cref="ServiceReconciler"/> created with
/// <see cref="VirtualIpsAndRulesSource.SetByOwner"/>: the changed and removed virtual servers, the virtual IPs to bind
/// (<see cref="KubernetesDesiredState.VirtualIps"/>: never node addresses, so node ports and external IPs that are node
/// addresses are served where they are), and the service rules (<see cref="ServiceRules.ToRuleSet(ServiceRuleSet, IEnumerable{System.Net.IPAddress}, IEnumerable{VirtualIp})"/>
/// on <see cref="RuleTemplate"/>): cluster IPs marked by source, external and load balancer IPs from every source,
/// nothing of externalTrafficPolicy Local marked, node ports marked as node ports, load balancer source ranges
/// enforced, unknown ports rejected on the bound virtual IPs, and <see cref="KubernetesDesiredState.HairpinEndpoints"/>
/// masqueraded. The virtual IPs and rules are read whole only when the changes say they changed, so an EndpointSlice
/// change costs its Service's virtual servers only (and the rules, when a local endpoint came or went). Not
/// thread-safe: the thread that feeds the state and syncs the reconciler uses it.
/// </summary>
public sealed class ReconcilerFeed
{
    private bool _applied;

    /// <summary>
    /// Feeds <paramref name="reconciler"/> from <paramref name="state"/>, with the mark and masquerade settings of
    /// <paramref name="ruleTemplate"/> (its own virtual IPs and node ports are replaced by the Services').
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The reconciler takes its virtual IPs and rules from its services' addresses, or the template cannot be installed.
    /// </exception>
    public ReconcilerFeed(KubernetesDesiredState state, ServiceReconciler reconciler, ServiceRuleSet ruleTemplate)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(reconciler);
        ArgumentNullException.ThrowIfNull(ruleTemplate);
        if (reconciler.VirtualIpsAndRules != VirtualIpsAndRulesSource.SetByOwner)
        {
            throw new ArgumentException(
                "the reconciler would bind the node-port addresses and mark them as virtual IPs: create it with ReconcilerOptions.VirtualIpsAndRules = SetByOwner",
                nameof(reconciler));
        }
        ruleTemplate.Validate();
        State = state;
        Reconciler = reconciler;
        RuleTemplate = ruleTemplate;
    }

    /// <summary>The desired state fed from.</summary>
    public KubernetesDesiredState State { get; }

    /// <summary>The reconciler fed.</summary>
    public ServiceReconciler Reconciler { get; }

    /// <summary>The mark and masquerade settings of the rules.</summary>
    public ServiceRuleSet RuleTemplate { get; }

    /// <summary>
    /// Takes the state's changes (<see cref="KubernetesDesiredState.TakeChanges"/>) and applies them; returns them for
    /// what the reconciler does not do: health check node ports, problems and conflicts to log.
    /// </summary>
    public DesiredStateChanges TakeAndApply()
    {
        DesiredStateChanges changes = State.TakeChanges();
        Apply(changes);
        return changes;
    }

    /// <summary>
    /// Applies <paramref name="changes"/>, taken from <see cref="State"/>, to the reconciler: the virtual servers always,
    /// the virtual IPs and rules when they changed (the rules also when the virtual IPs or the hairpin endpoints did,
    /// since they hold both) and on the first call (so the reconciler starts from the state's, not
    /// from nothing). The kernel is changed by the reconciler's next sync, which should come after the first complete
    /// lists of Services and EndpointSlices have been fed (<c>KubernetesSource.WaitUntilReadyAsync</c>): before them, the
    /// state wants nothing, and a sync would take down what a previous run left serving.
    /// </summary>
    public void Apply(DesiredStateChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        Reconciler.SetDesired(changes.Changed, changes.Removed);
        if (changes.VirtualIpsChanged || !_applied)
        {
            Reconciler.SetVirtualIps(State.VirtualIps);
        }
        if (changes.RulesChanged || changes.VirtualIpsChanged || changes.HairpinEndpointsChanged || !_applied)
        {
            Reconciler.SetRules(State.Rules.ToRuleSet(RuleTemplate, State.VirtualIps, State.HairpinEndpoints));
        }
        _applied = true;
    }
}
