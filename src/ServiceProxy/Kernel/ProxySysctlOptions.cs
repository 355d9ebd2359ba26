namespace ServiceProxy.Kernel;

/// <summary>The kernel settings a service proxy sets only when asked, as kube-proxy's flags ask for them.</summary>
public sealed record ProxySysctlOptions
{
    /// <summary>
    /// Strict ARP (kube-proxy's --ipvs-strict-arp): net.ipv4.conf.all.arp_ignore=1 and arp_announce=2, so that the node
    /// does not answer ARP for the virtual IPs on its dummy interface from its other interfaces, nor announce them as
    /// sources. Needed when a layer-2 announcer (MetalLB and the like) must be the only one answering for load
    /// balancer IPs. Off: the two settings are left as they are (never reset).
    /// </summary>
    public bool StrictArp { get; init; }
}
