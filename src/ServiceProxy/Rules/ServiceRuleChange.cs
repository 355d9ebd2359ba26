using System.Net;

namespace ServiceProxy.Rules;

/// <summary>
/// The difference between the installed <see cref="ServiceRuleSet"/> and the wanted one, list by list, for
/// <see cref="IServiceRulesBackend.Apply(ServiceRuleChange)"/>: a backend that keeps its lists in sets turns a change of
/// one service into one element added or removed, whatever the number of services installed. Made by <see cref="Between"/>.
/// </summary>
public sealed class ServiceRuleChange
{
    private ServiceRuleChange(ServiceRuleSet from, ServiceRuleSet to)
    {
        From = from;
        To = to;
        VirtualIps = ElementChange<VirtualIp>.Between(from.VirtualIps, to.VirtualIps);
        ExternalVirtualIps = ElementChange<VirtualIp>.Between(from.ExternalVirtualIps, to.ExternalVirtualIps);
        UnmarkedVirtualIps = ElementChange<VirtualIp>.Between(from.UnmarkedVirtualIps, to.UnmarkedVirtualIps);
        RejectUnknownPortsOn = ElementChange<IPAddress>.Between(from.RejectUnknownPortsOn, to.RejectUnknownPortsOn);
        FirewallTargets = ElementChange<VirtualIp>.Between([.. from.SourceRanges.Select(r => r.Target)], [.. to.SourceRanges.Select(r => r.Target)]);
        AllowedSources = ElementChange<AllowedSource>.Between(AllowedSourcesOf(from), AllowedSourcesOf(to));
        HairpinEndpoints = ElementChange<VirtualIp>.Between(from.HairpinEndpoints, to.HairpinEndpoints);
        NodePorts = ElementChange<NodePort>.Between(from.NodePorts, to.NodePorts);
        SettingsChanged = from.MasqueradeMark != to.MasqueradeMark || from.MasqueradeAll != to.MasqueradeAll
            || !from.ClusterCidrs.SequenceEqual(to.ClusterCidrs);
    }

    /// <summary>
    /// The change from <paramref name="installed"/> (what the last apply installed, or what
    /// <see cref="IServiceRulesBackend.Read"/> returned) to <paramref name="wanted"/>. Throws
    /// <see cref="ArgumentException"/> when <paramref name="wanted"/> cannot be installed (<see cref="ServiceRuleSet.Validate"/>).
    /// </summary>
    public static ServiceRuleChange Between(ServiceRuleSet installed, ServiceRuleSet wanted)
    {
        ArgumentNullException.ThrowIfNull(installed);
        ArgumentNullException.ThrowIfNull(wanted);
        wanted.Validate();
        return new(installed.Normalize(), wanted.Normalize());
    }

    /// <summary>The installed set, normalized.</summary>
    public ServiceRuleSet From { get; }

    /// <summary>The wanted set, normalized: what the rules equal once the change is applied.</summary>
    public ServiceRuleSet To { get; }

    /// <summary>Changes to <see cref="ServiceRuleSet.VirtualIps"/>.</summary>
    public ElementChange<VirtualIp> VirtualIps { get; }

    /// <summary>Changes to <see cref="ServiceRuleSet.ExternalVirtualIps"/>.</summary>
    public ElementChange<VirtualIp> ExternalVirtualIps { get; }

    /// <summary>Changes to <see cref="ServiceRuleSet.UnmarkedVirtualIps"/>.</summary>
    public ElementChange<VirtualIp> UnmarkedVirtualIps { get; }

    /// <summary>Changes to <see cref="ServiceRuleSet.RejectUnknownPortsOn"/>.</summary>
    public ElementChange<IPAddress> RejectUnknownPortsOn { get; }

    /// <summary>Load balancer IPs that gain or lose source filtering (the targets of <see cref="ServiceRuleSet.SourceRanges"/>).</summary>
    public ElementChange<VirtualIp> FirewallTargets { get; }

    /// <summary>Ranges of <see cref="ServiceRuleSet.SourceRanges"/> added or removed, each with its target.</summary>
    public ElementChange<AllowedSource> AllowedSources { get; }

    /// <summary>Changes to <see cref="ServiceRuleSet.HairpinEndpoints"/>.</summary>
    public ElementChange<VirtualIp> HairpinEndpoints { get; }

    /// <summary>Changes to <see cref="ServiceRuleSet.NodePorts"/>.</summary>
    public ElementChange<NodePort> NodePorts { get; }

    /// <summary>
    /// Whether the mark, <see cref="ServiceRuleSet.MasqueradeAll"/> or the cluster CIDRs differ: these live in the rules
    /// themselves rather than in sets, so a backend rewrites its (few) rules for them.
    /// </summary>
    public bool SettingsChanged { get; }

    /// <summary>Whether the two sets install the same rules.</summary>
    public bool IsEmpty => !SettingsChanged && VirtualIps.IsEmpty && ExternalVirtualIps.IsEmpty && UnmarkedVirtualIps.IsEmpty
        && RejectUnknownPortsOn.IsEmpty && FirewallTargets.IsEmpty && AllowedSources.IsEmpty && HairpinEndpoints.IsEmpty && NodePorts.IsEmpty;

    /// <summary>How many elements the change adds and removes, over all lists.</summary>
    public int ElementCount => VirtualIps.Added.Count + VirtualIps.Removed.Count + ExternalVirtualIps.Added.Count + ExternalVirtualIps.Removed.Count
        + UnmarkedVirtualIps.Added.Count + UnmarkedVirtualIps.Removed.Count + RejectUnknownPortsOn.Added.Count + RejectUnknownPortsOn.Removed.Count
        + FirewallTargets.Added.Count + FirewallTargets.Removed.Count + AllowedSources.Added.Count + AllowedSources.Removed.Count
        + HairpinEndpoints.Added.Count + HairpinEndpoints.Removed.Count + NodePorts.Added.Count + NodePorts.Removed.Count;

    /// <inheritdoc />
    public override string ToString() => SettingsChanged
        ? $"settings and {ElementCount} element(s) to {To}"
        : $"{ElementCount} element(s): +{VirtualIps.Added.Count}/-{VirtualIps.Removed.Count} virtual IPs, +{NodePorts.Added.Count}/-{NodePorts.Removed.Count} node ports, and {ElementCount - VirtualIps.Added.Count - VirtualIps.Removed.Count - NodePorts.Added.Count - NodePorts.Removed.Count} more";

    private static IReadOnlyList<AllowedSource> AllowedSourcesOf(ServiceRuleSet set) =>
        [.. set.SourceRanges.SelectMany(r => r.AllowedSources.Select(s => new AllowedSource(r.Target, s)))];
}
