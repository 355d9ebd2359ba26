using Netlink;
using ServiceProxy.Rules;

namespace ServiceProxy.Reconciling;

/// <summary>How a <see cref="ServiceReconciler"/> behaves.</summary>
public sealed class ReconcilerOptions
{
    /// <summary>
    /// How long a removed TCP real server may keep its connections at weight 0 before it is deleted anyway
    /// (kube-proxy waits without bound; a bound keeps a stuck client from pinning a dead endpoint forever).
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the connections of draining real servers are read to see whether they are done.</summary>
    public TimeSpan DrainCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The service rules to keep beside IPVS (masquerade mark, cluster CIDRs or masquerade-all); the reconciler fills in
    /// the virtual IPs. Used only when the reconciler has a rules backend. With
    /// <see cref="VirtualIpsAndRulesSource.SetByOwner"/>, only until the owner's first <see cref="ServiceReconciler.SetRules"/>
    /// (as the rules of no service at all).
    /// </summary>
    public ServiceRuleSet RuleTemplate { get; init; } = new();

    /// <summary>
    /// Where the virtual IPs to bind and the service rules come from: the desired services' addresses (the default), or
    /// the owner's <see cref="ServiceReconciler.SetVirtualIps"/> and <see cref="ServiceReconciler.SetRules"/>.
    /// </summary>
    public VirtualIpsAndRulesSource VirtualIpsAndRules { get; init; } = VirtualIpsAndRulesSource.FromServiceAddresses;

    /// <summary>
    /// How plans are sent: many requests per send by default, because a first sync of 100,000 steps one send at a
    /// time costs seconds. A refused step then may leave later steps of its send applied, which is safe: the
    /// reconciler distrusts its view after any failure and reads the kernel whole on the next sync.
    /// </summary>
    public NetlinkBatchOptions Batch { get; init; } = new();

    /// <summary>Plan and report, but change nothing: not the kernel, not the ownership record.</summary>
    public bool DryRun { get; init; }

    /// <summary>The defaults.</summary>
    public static ReconcilerOptions Default { get; } = new();
}
