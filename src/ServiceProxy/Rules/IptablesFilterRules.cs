using System.Globalization;
using System.Net;
using System.Text;

namespace ServiceProxy.Rules;

/// <summary>
/// The filter table rules of one address family, one rule per item (shown for IPv4 with the default prefix):
/// <code>
/// IPVSD-FIREWALL     -s RANGE -p tcp -m conntrack --ctorigdst LB-IP --ctorigdstport PORT --ctdir ORIGINAL -j RETURN  (per range)
///                    -p tcp -m conntrack --ctorigdst LB-IP --ctorigdstport PORT --ctdir ORIGINAL -j DROP   (per LB IP)
/// IPVSD-IPVS-FILTER  -d VIP/32 -p tcp -m tcp --dport PORT -j RETURN          (one per virtual IP of any kind)
///                    -d ADDRESS/32 -p tcp -m conntrack --ctstate NEW -j REJECT --reject-with tcp-reset   (one per address,
///                    -d ADDRESS/32 -p udp -m conntrack --ctstate NEW -j REJECT --reject-with icmp-port-unreachable  and
///                    -d ADDRESS/32 -p sctp -m conntrack --ctstate NEW -j REJECT --reject-with icmp-port-unreachable  protocol)
/// </code>
/// The firewall matches the destination conntrack recorded, not the packet's: from OUTPUT (the filter table's hook runs at
/// priority 0) the host's own connection to a load balancer IP has already been sent to a real server by IPVS at -98.
/// Cluster and external virtual IPs are listed in IPVSD-IPVS-FILTER only when the family has an address to reject on,
/// so a rule set without any costs INPUT nothing; unmarked virtual IPs always are, since nothing else records them.
/// </summary>
internal static class IptablesFilterRules
{
    public static void Append(StringBuilder text, ServiceRuleSet set, IptablesFamily family, IptablesChains chains)
    {
        foreach (SourceRange range in set.SourceRanges.Where(r => r.Target.Address.AddressFamily == family.AddressFamily))
        {
            string original = OriginalDestination(range.Target);
            foreach (IPNetwork source in range.AllowedSources)
            {
                text.Append("-A ").Append(chains.Firewall).Append(" -s ").Append(source.ToString()).Append(original).Append(" -j RETURN\n");
            }
            text.Append("-A ").Append(chains.Firewall).Append(original).Append(" -j DROP\n");
        }
        List<IPAddress> rejectOn = [.. set.RejectUnknownPortsOn.Where(a => a.AddressFamily == family.AddressFamily)];
        IEnumerable<VirtualIp> services = rejectOn.Count > 0 ? [.. set.VirtualIps, .. set.ExternalVirtualIps, .. set.UnmarkedVirtualIps] : set.UnmarkedVirtualIps;
        foreach (VirtualIp vip in RuleOrder.Sorted(services).Where(v => v.Address.AddressFamily == family.AddressFamily))
        {
            text.Append("-A ").Append(chains.IpvsFilter).Append(IptablesRestoreInput.Destination(vip, family)).Append(" -j RETURN\n");
        }
        foreach (IPAddress address in rejectOn)
        {
            foreach (ServiceProtocol protocol in new[] { ServiceProtocol.Tcp, ServiceProtocol.Udp, ServiceProtocol.Sctp })
            {
                string with = protocol == ServiceProtocol.Tcp ? "tcp-reset" : family.PortUnreachable;
                text.Append("-A ").Append(chains.IpvsFilter).Append(" -d ").Append(IptablesRestoreInput.Host(address, family))
                    .Append(" -p ").Append(IptablesRestoreInput.ProtocolName(protocol)).Append(" -m conntrack --ctstate NEW -j REJECT --reject-with ")
                    .Append(with).Append('\n');
            }
        }
    }

    /// <summary>
    /// <c> -p tcp -m conntrack --ctorigdst ADDRESS --ctorigdstport PORT --ctdir ORIGINAL</c>, the address without a prefix
    /// length as iptables-save prints it. The direction keeps the replies out: their connection has the same original
    /// destination, and their source (the load balancer IP) is in no range.
    /// </summary>
    private static string OriginalDestination(VirtualIp target) => string.Create(CultureInfo.InvariantCulture,
        $" -p {IptablesRestoreInput.ProtocolName(target.Protocol)} -m conntrack --ctorigdst {target.Address} --ctorigdstport {target.Port} --ctdir ORIGINAL");
}
