using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Netlink.Netfilter.NfTables;
using static ServiceProxy.Rules.NfTablesServiceRuleset;

namespace ServiceProxy.Rules;

/// <summary>
/// The one transaction that turns the service rules' table from <see cref="ServiceRuleChange.From"/> into
/// <see cref="ServiceRuleChange.To"/> when only the lists differ: elements added to and deleted from the named sets of
/// <see cref="NfTablesServiceRuleset"/>, the chains and rules untouched. One message per element, so that the kernel's
/// refusal (ENOENT for a delete of an element someone else removed) names that element: <see cref="Describe"/> gives
/// the operation behind a batch index.
/// </summary>
internal sealed class NfTablesServiceChanges : IDisposable
{
    private readonly string _table;
    private readonly List<(string Operation, string Target)> _operations = [];

    private NfTablesServiceChanges(string table) => _table = table;

    /// <summary>The transaction; empty when the change is.</summary>
    public Transaction Transaction { get; } = new();

    /// <summary>
    /// Queues <paramref name="change"/>'s elements for table <paramref name="table"/>. Throws
    /// <see cref="ArgumentException"/> for a change of settings, which live in the rules and need the table replaced.
    /// </summary>
    public static NfTablesServiceChanges Build(ServiceRuleChange change, string table)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentException.ThrowIfNullOrEmpty(table);
        if (change.SettingsChanged)
        {
            throw new ArgumentException("the mark, masquerade-all or cluster CIDRs changed: those are in the rules, so the table is replaced whole", nameof(change));
        }
        var changes = new NfTablesServiceChanges(table);
        // Deletes of allowed ranges go first: the interval set refuses a range that overlaps one it holds (nft_set_pipapo
        // checks both ends), and a narrowed range lies inside the wider one it replaces. Deleted first in the
        // transaction, the old range no longer counts when the new one is added; traffic sees neither step, only the commit.
        changes.AllowedSourceElements(change.AllowedSources.Removed, add: false);
        changes.VirtualIpElements(NfTablesServiceRuleset.VirtualIps, "virtual IP", change.VirtualIps.Added, add: true);
        changes.VirtualIpElements(ExternalIps, "external virtual IP", change.ExternalVirtualIps.Added, add: true);
        changes.VirtualIpElements(UnmarkedIps, "unmarked virtual IP", change.UnmarkedVirtualIps.Added, add: true);
        changes.AddressElements(change.RejectUnknownPortsOn.Added, add: true);
        changes.VirtualIpElements(FirewallTargets, "firewall target", change.FirewallTargets.Added, add: true);
        changes.AllowedSourceElements(change.AllowedSources.Added, add: true);
        changes.HairpinElements(change.HairpinEndpoints.Added, add: true);
        changes.NodePortElements(change.NodePorts.Added, add: true);
        // Then the deletes, so a virtual IP moving between lists is in the new one before it leaves the old one, as
        // IServiceRulesBackend promises (within one commit this is order only, not something traffic could see).
        changes.VirtualIpElements(NfTablesServiceRuleset.VirtualIps, "virtual IP", change.VirtualIps.Removed, add: false);
        changes.VirtualIpElements(ExternalIps, "external virtual IP", change.ExternalVirtualIps.Removed, add: false);
        changes.VirtualIpElements(UnmarkedIps, "unmarked virtual IP", change.UnmarkedVirtualIps.Removed, add: false);
        changes.AddressElements(change.RejectUnknownPortsOn.Removed, add: false);
        changes.VirtualIpElements(FirewallTargets, "firewall target", change.FirewallTargets.Removed, add: false);
        changes.HairpinElements(change.HairpinEndpoints.Removed, add: false);
        changes.NodePortElements(change.NodePorts.Removed, add: false);
        return changes;
    }

    /// <summary>
    /// Names the operation behind message <paramref name="index"/> of the committed batch (0 is the batch's begin), such
    /// as <c>delete virtual IP</c> and <c>tcp 198.18.0.1:80 from set inet ipvsd virtual-ips-v4</c>; null for an index
    /// that is not one of the elements.
    /// </summary>
    public (string Operation, string Target)? Describe(int index) =>
        index >= 1 && index <= _operations.Count ? _operations[index - 1] : null;

    /// <inheritdoc />
    public void Dispose() => Transaction.Dispose();

    private void VirtualIpElements(string set, string what, IEnumerable<VirtualIp> vips, bool add)
    {
        foreach (VirtualIp vip in vips)
        {
            Element(Named(set, vip.IsIPv6), what, vip.ToString(), new SetElement(NetworkKeys.VirtualIp(vip)), add);
        }
    }

    private void AddressElements(IEnumerable<IPAddress> addresses, bool add)
    {
        foreach (IPAddress address in addresses)
        {
            Element(Named(RejectUnknownPorts, address.AddressFamily == AddressFamily.InterNetworkV6), "address to reject unknown ports on",
                address.ToString(), new SetElement(SetKey.Address(address)), add);
        }
    }

    private void AllowedSourceElements(IEnumerable<AllowedSource> sources, bool add)
    {
        foreach (AllowedSource source in sources)
        {
            // One element with the range's end in it (NFTA_SET_ELEM_KEY_END): a concatenated interval set deletes it
            // by both ends, as it was added.
            Element(Named(FirewallAllowed, source.Target.IsIPv6), "allowed source", $"{source.Source} for {source.Target}",
                NetworkKeys.AllowedSource(source.Target, source.Source), add);
        }
    }

    private void HairpinElements(IEnumerable<VirtualIp> endpoints, bool add)
    {
        foreach (VirtualIp endpoint in endpoints)
        {
            Element(Named(Hairpin, endpoint.IsIPv6), "hairpin endpoint", endpoint.ToString(), new SetElement(NetworkKeys.Hairpin(endpoint)), add);
        }
    }

    private void NodePortElements(IEnumerable<NodePort> ports, bool add)
    {
        foreach (NodePort port in ports)
        {
            Element(NodePorts, "node port", $"{port.Protocol.ToString().ToLowerInvariant()} {port.Port}", new SetElement(NetworkKeys.NodePort(port)), add);
        }
    }

    private void Element(string set, string what, string item, SetElement element, bool add)
    {
        if (add)
        {
            Transaction.AddElements(Family, _table, set, [element]);
            _operations.Add(("add " + what, $"{item} to set inet {_table} {set}"));
        }
        else
        {
            Transaction.DeleteElements(Family, _table, set, [element]);
            _operations.Add(("delete " + what, $"{item} from set inet {_table} {set}"));
        }
        Debug.Assert(Transaction.Count == _operations.Count, "one message per element");
    }
}
