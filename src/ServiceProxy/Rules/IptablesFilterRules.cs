using System.Text;

namespace ServiceProxy.Rules;

/// <summary>
/// The filter and mangle rules of one address family, a fixed handful matching the sets (shown for IPv4 with the
/// default prefix):
/// <code>
/// filter IPVSD-IPVS-FILTER  -m set ! --match-set IPVSD-BOUND-IPS-V4 dst -j RETURN
///                           -m set --match-set IPVSD-VIRTUAL-IPS-V4 dst,dst -j RETURN      (and EXTERNAL-IPS, UNMARKED-IPS)
///                           -p tcp -m conntrack --ctstate NEW -j REJECT --reject-with tcp-reset
///                           -p udp -m conntrack --ctstate NEW -j REJECT --reject-with icmp-port-unreachable   (and sctp)
/// mangle IPVSD-FIREWALL     -m set --match-set IPVSD-FW-TARGETS-V4 dst,dst -m set ! --match-set IPVSD-FW-ALLOWED-V4 dst,dst,src -j DROP
/// </code>
/// Traffic to an address that is not bound for services leaves IPVSD-IPVS-FILTER at its first rule, so INPUT pays one
/// hash lookup however many services there are.
/// </summary>
internal static class IptablesFilterRules
{
    public static void AppendFilter(StringBuilder text, IptablesFamily family, IptablesChains chains)
    {
        IptablesSets sets = chains.Sets;
        Netlink.Netfilter.IpSet.IpSetFamily f = family.SetFamily;
        string chain = chains.IpvsFilter;
        text.Append("-A ").Append(chain).Append(" -m set ! --match-set ").Append(sets.BoundIps(f)).Append(" dst -j RETURN\n");
        foreach (string services in new[] { sets.VirtualIps(f), sets.ExternalIps(f), sets.UnmarkedIps(f) })
        {
            text.Append("-A ").Append(chain).Append(" -m set --match-set ").Append(services).Append(" dst,dst -j RETURN\n");
        }
        foreach (ServiceProtocol protocol in IptablesSets.Protocols)
        {
            string with = protocol == ServiceProtocol.Tcp ? "tcp-reset" : family.PortUnreachable;
            text.Append("-A ").Append(chain).Append(" -p ").Append(IptablesRestoreInput.ProtocolName(protocol))
                .Append(" -m conntrack --ctstate NEW -j REJECT --reject-with ").Append(with).Append('\n');
        }
    }

    public static void AppendMangle(StringBuilder text, IptablesFamily family, IptablesChains chains)
    {
        IptablesSets sets = chains.Sets;
        text.Append("-A ").Append(chains.Firewall).Append(" -m set --match-set ").Append(sets.FirewallTargets(family.SetFamily))
            .Append(" dst,dst -m set ! --match-set ").Append(sets.FirewallAllowed(family.SetFamily)).Append(" dst,dst,src -j DROP\n");
    }
}
