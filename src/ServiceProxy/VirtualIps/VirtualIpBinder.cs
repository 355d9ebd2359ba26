using System.Net;
using System.Net.Sockets;
using Netlink;
using Netlink.Route;

namespace ServiceProxy.VirtualIps;

/// <summary>
/// Keeps the virtual IPs of the services on one dummy interface (as kube-proxy keeps them on kube-ipvs0), so the node
/// accepts traffic for them and IPVS sees it. An address that is already local on another interface (a node address)
/// is left where it is, and an address on the interface that no service uses any more is taken off. Works through
/// rtnetlink only; needs CAP_NET_ADMIN. Not thread-safe (nor is the route client under it).
/// </summary>
public sealed class VirtualIpBinder
{
    /// <summary>The interface name used when none is given, after kube-proxy's kube-ipvs0.</summary>
    public const string DefaultInterfaceName = "ipvsd0";

    private readonly IRouteClient _route;

    /// <summary>Binds on <paramref name="interfaceName"/> through <paramref name="route"/>, which the caller keeps owning.</summary>
    public VirtualIpBinder(IRouteClient route, string interfaceName = DefaultInterfaceName)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        _route = route;
        InterfaceName = interfaceName;
    }

    /// <summary>The dummy interface that holds the virtual IPs.</summary>
    public string InterfaceName { get; }

    /// <summary>
    /// Makes the interface exist (a dummy, created if missing) and be up, then makes its addresses equal to
    /// <paramref name="wanted"/> less those that are local on another interface: each one is added as a /32 or /128
    /// (IPv6 without duplicate address detection, so it is usable at once), and each one no longer wanted is removed.
    /// The kernel's own link-local IPv6 address on the interface is left alone. Reads links and addresses once.
    /// </summary>
    /// <exception cref="InvalidOperationException">A link of that name exists and is not a dummy: nothing is changed.</exception>
    /// <exception cref="NetlinkException">The kernel refused a change; the message names the address.</exception>
    public VirtualIpChanges Bind(IEnumerable<IPAddress> wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        Link link = EnsureInterface();
        VirtualIpChanges changes = Compare(link.Index, wanted);
        foreach (IPAddress address in changes.Removed)
        {
            _route.RemoveAddress(link.Index, address, HostPrefix(address));
        }
        foreach (IPAddress address in changes.Added)
        {
            _route.AddAddress(link.Index, address, HostPrefix(address));
        }
        return changes;
    }

    /// <summary>
    /// What <see cref="Bind"/> would change for <paramref name="wanted"/>, changing nothing (not even creating the
    /// interface): for a dry run, or to check that the node holds what it should.
    /// </summary>
    public VirtualIpChanges Preview(IEnumerable<IPAddress> wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        return Compare(_route.GetLink(InterfaceName)?.Index, wanted);
    }

    private VirtualIpChanges Compare(int? interfaceIndex, IEnumerable<IPAddress> wanted)
    {
        HashSet<IPAddress> want = [.. wanted.Select(Normalize)];
        var onInterface = new HashSet<IPAddress>();
        var localElsewhere = new HashSet<IPAddress>();
        foreach (InterfaceAddress address in _route.ListAddresses())
        {
            if (address.InterfaceIndex != interfaceIndex)
            {
                localElsewhere.Add(Normalize(address.Address));
            }
            else if (!address.Address.IsIPv6LinkLocal)
            {
                onInterface.Add(Normalize(address.Address));
            }
        }

        List<IPAddress> alreadyLocal = [.. want.Where(localElsewhere.Contains).Order(AddressOrder.Instance)];
        List<IPAddress> added = [.. want.Where(a => !localElsewhere.Contains(a) && !onInterface.Contains(a)).Order(AddressOrder.Instance)];
        List<IPAddress> removed = [.. onInterface.Where(a => !want.Contains(a) || localElsewhere.Contains(a)).Order(AddressOrder.Instance)];
        return new VirtualIpChanges(added, removed, alreadyLocal);
    }

    /// <summary>The addresses on the interface now (without the link-local one); empty when there is no interface.</summary>
    public IReadOnlyList<IPAddress> Bound()
    {
        Link? link = _route.GetLink(InterfaceName);
        return link is null ? [] : [.. _route.ListAddresses(link.Index).Select(a => a.Address).Where(a => !a.IsIPv6LinkLocal).Order(AddressOrder.Instance)];
    }

    /// <summary>Deletes the interface, and with it every virtual IP on it; false when there was none.</summary>
    public bool RemoveInterface()
    {
        if (_route.GetLink(InterfaceName) is null)
        {
            return false;
        }
        _route.DeleteLink(InterfaceName);
        return true;
    }

    private Link EnsureInterface()
    {
        Link? link = _route.GetLink(InterfaceName);
        if (link is not null && link.Kind != "dummy")
        {
            throw new InvalidOperationException(
                $"interface {InterfaceName} exists and is a {link.Kind ?? "physical"} link, not a dummy: choose another interface name for the virtual IPs");
        }
        if (link is null)
        {
            _route.CreateDummy(InterfaceName);
        }
        if (link is null || !link.IsUp)
        {
            _route.SetLinkUp(InterfaceName, true);
            link = _route.GetLink(InterfaceName) ?? throw new NetlinkException(Errno.ENODEV, "set link up", InterfaceName);
        }
        return link;
    }

    private static int HostPrefix(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
