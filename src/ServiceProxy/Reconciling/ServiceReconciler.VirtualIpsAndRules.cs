using System.Net;
using Netlink.Ipvs;
using ServiceProxy.Rules;

namespace ServiceProxy.Reconciling;

// The virtual IPs and service rules the reconciler wants, from either source (ReconcilerOptions.VirtualIpsAndRules).
// Both sources only mark what changed as pending; applying and drift repair (ServiceReconciler.Node.cs) do not know
// which source the wanted state came from.
public sealed partial class ServiceReconciler
{
    // FromServiceAddresses: how many desired services use each address and each (address, protocol, port), so that a
    // service coming or going marks the addresses or rules pending only when an item appears or disappears.
    private readonly Dictionary<IPAddress, int> _virtualIpUse = [];
    private readonly Dictionary<VirtualIp, int> _ruleUse = [];

    // SetByOwner: as last given; null rules until the first SetRules.
    private readonly HashSet<IPAddress> _givenVirtualIps = [];
    private ServiceRuleSet? _givenRules;

    /// <summary>Where the virtual IPs to bind and the service rules come from (<see cref="ReconcilerOptions.VirtualIpsAndRules"/>).</summary>
    public VirtualIpsAndRulesSource VirtualIpsAndRules => _options.VirtualIpsAndRules;

    private bool FromServiceAddresses => _options.VirtualIpsAndRules == VirtualIpsAndRulesSource.FromServiceAddresses;

    /// <summary>
    /// Sets the virtual IPs to keep bound on the <see cref="VirtualIps"/> interface, replacing those given before; an
    /// address already local on another interface is left where it is, as always. The same set again marks nothing
    /// pending; a different one makes the next sync bind and unbind the difference. Only with
    /// <see cref="VirtualIpsAndRulesSource.SetByOwner"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The reconciler takes its virtual IPs from the services' addresses.</exception>
    public void SetVirtualIps(IEnumerable<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        RequireSetByOwner(nameof(SetVirtualIps));
        HashSet<IPAddress> wanted = [.. addresses.Select(a => a is null ? throw new ArgumentException("a virtual IP is null", nameof(addresses)) : Normalize(a))];
        if (!wanted.SetEquals(_givenVirtualIps))
        {
            _givenVirtualIps.Clear();
            _givenVirtualIps.UnionWith(wanted);
            _virtualIpsDirty = true;
        }
    }

    /// <summary>
    /// Sets the service rules to keep installed through <see cref="Rules"/>, whole (mark, masquerade settings, virtual
    /// IPs, node ports), replacing those given before; <see cref="ReconcilerOptions.RuleTemplate"/> is not used for them.
    /// A set equal to the last one (<see cref="ServiceRuleSet.Equals(ServiceRuleSet?)"/>) marks nothing pending; a
    /// different one makes the next sync install it. Only with <see cref="VirtualIpsAndRulesSource.SetByOwner"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The reconciler takes its rules from the services' addresses.</exception>
    /// <exception cref="ArgumentException">The set cannot be installed (<see cref="ServiceRuleSet.Validate"/>).</exception>
    public void SetRules(ServiceRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        RequireSetByOwner(nameof(SetRules));
        rules.Validate(); // here, where the caller can see whose set it is, rather than in a later sync
        ServiceRuleSet wanted = rules.Normalize();
        if (!wanted.Equals(WantedRules()))
        {
            _rulesDirty = true;
        }
        _givenRules = wanted;
    }

    /// <summary>The virtual IPs to bind now.</summary>
    private IReadOnlyCollection<IPAddress> WantedVirtualIps() => FromServiceAddresses ? _virtualIpUse.Keys : _givenVirtualIps;

    /// <summary>
    /// The rules to install now. Until the owner gives rules, the template's with no virtual IP: what the services'
    /// addresses would give for no service, so both sources start from the same rules.
    /// </summary>
    private ServiceRuleSet WantedRules() => FromServiceAddresses || _givenRules is null
        ? (_options.RuleTemplate with { VirtualIps = FromServiceAddresses ? [.. _ruleUse.Keys] : [] }).Normalize()
        : _givenRules;

    /// <summary>Counts a desired service's address and rule in or out (<paramref name="delta"/> +1 or -1), when they come from the services.</summary>
    private void CountAddressUse(VirtualServiceKey key, int delta)
    {
        if (!FromServiceAddresses || key.IsFirewallMark || key.Address is null)
        {
            return;
        }
        if (Use(_virtualIpUse, key.Address, delta))
        {
            _virtualIpsDirty = true;
        }
        if (Use(_ruleUse, new VirtualIp(key.Address, (ServiceProtocol)(byte)key.Protocol, key.Port), delta))
        {
            _rulesDirty = true;
        }
    }

    /// <summary>Counts a use up or down; true when the item appeared or disappeared.</summary>
    private static bool Use<T>(Dictionary<T, int> uses, T item, int delta)
        where T : notnull
    {
        int count = uses.GetValueOrDefault(item) + delta;
        if (count <= 0)
        {
            uses.Remove(item);
            return count == 0;
        }
        uses[item] = count;
        return count == 1 && delta > 0;
    }

    private void RequireSetByOwner(string method)
    {
        if (FromServiceAddresses)
        {
            throw new InvalidOperationException(
                $"{method}: this reconciler takes its virtual IPs and rules from the services' addresses; create it with ReconcilerOptions.VirtualIpsAndRules = SetByOwner to give them");
        }
    }

    // As VirtualIpBinder compares them: an IPv4 address given mapped into IPv6 is the IPv4 address.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
