namespace ServiceProxy.Reconciling;

/// <summary>Where a <see cref="ServiceReconciler"/> takes the virtual IPs it binds and the service rules it installs from.</summary>
public enum VirtualIpsAndRulesSource
{
    /// <summary>
    /// From the desired services: every service address is a virtual IP to bind, and every address with its protocol
    /// and port is a virtual IP of the rules, on <see cref="ReconcilerOptions.RuleTemplate"/>. Right when every service
    /// sits on an address of its own, as in ipvsd's model files.
    /// </summary>
    FromServiceAddresses,

    /// <summary>
    /// As the reconciler's owner gives them with <see cref="ServiceReconciler.SetVirtualIps"/> and
    /// <see cref="ServiceReconciler.SetRules"/>, whatever the services' addresses. Needed when some services sit on the
    /// node's own addresses (Kubernetes node ports: not to be bound, and marked as node ports rather than as virtual
    /// IPs) or some traffic must keep its client address (externalTrafficPolicy Local: not to be masqueraded). Give
    /// both before the first sync, as the services are given: a sync before them would take every address off the
    /// interface and install the template's rules alone (what no virtual IP and no rule mean), a gap in service after a
    /// restart.
    /// </summary>
    SetByOwner,
}
