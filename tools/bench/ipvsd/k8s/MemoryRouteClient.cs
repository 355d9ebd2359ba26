using System.Net;
using Netlink;
using Netlink.Route;

namespace K8sBench;

/// <summary>
/// This host's links and addresses in memory (lo and eth0 with the node's address, then ipvsd0 when the binder makes
/// it), refusing what rtnetlink refuses. Indexed, so that binding 10,000 virtual IPs costs what the binder does, not
/// the fake; only a first sync, or a change that says the virtual IPs changed, comes here.
/// </summary>
internal sealed class MemoryRouteClient : IRouteClient
{
    private const uint IffUp = 0x1; // IFF_UP of linux/if.h; Netlink.Route keeps its constants to itself

    private readonly List<Link> _links = [];
    private readonly Dictionary<(int Link, IPAddress Address), InterfaceAddress> _addresses = [];

    public MemoryRouteClient(IPAddress nodeAddress)
    {
        CreateLink("lo", "loopback");
        CreateLink("eth0", "physical");
        SetLinkUp("lo", true);
        SetLinkUp("eth0", true);
        AddAddress("lo", IPAddress.Loopback, 8);
        AddAddress("eth0", nodeAddress, 24);
    }

    /// <summary>Address listings so far: a sync that did not look at the virtual IPs made none.</summary>
    public int AddressListings { get; private set; }

    public IReadOnlyList<Link> ListLinks() => [.. _links];

    public Link? GetLink(string name) => _links.Find(l => l.Name == name);

    public void CreateDummy(string name) => CreateLink(name, "dummy");

    public void CreateLink(string name, string kind)
    {
        if (GetLink(name) is not null)
        {
            throw new NetlinkException(Errno.EEXIST, "create link", name);
        }
        _links.Add(new Link(_links.Count + 1, name, kind is "physical" or "loopback" ? null : kind, 0, 1500, [], 0));
    }

    public void DeleteLink(string name)
    {
        Link link = Require(name, "delete link");
        _links.Remove(link);
        foreach (var key in _addresses.Keys.Where(k => k.Link == link.Index).ToList())
        {
            _addresses.Remove(key);
        }
    }

    public void SetLinkUp(string name, bool up)
    {
        Link link = Require(name, "set link up");
        _links[_links.IndexOf(link)] = link with { Flags = up ? link.Flags | IffUp : link.Flags & ~IffUp };
    }

    public IReadOnlyList<InterfaceAddress> ListAddresses(int? interfaceIndex = null)
    {
        AddressListings++;
        return [.. _addresses.Values.Where(a => interfaceIndex is null || a.InterfaceIndex == interfaceIndex)];
    }

    public void AddAddress(string linkName, IPAddress address, int prefixLength, bool noDuplicateDetection = true) =>
        AddAddress(Require(linkName, "add address").Index, address, prefixLength, noDuplicateDetection);

    public void RemoveAddress(string linkName, IPAddress address, int prefixLength) =>
        RemoveAddress(Require(linkName, "remove address").Index, address, prefixLength);

    public void AddAddress(int interfaceIndex, IPAddress address, int prefixLength, bool noDuplicateDetection = true)
    {
        if (!_links.Exists(l => l.Index == interfaceIndex))
        {
            throw new NetlinkException(Errno.ENODEV, "add address", address.ToString());
        }
        if (!_addresses.TryAdd((interfaceIndex, address), new InterfaceAddress(interfaceIndex, address, prefixLength, null, 0, 0)))
        {
            throw new NetlinkException(Errno.EEXIST, "add address", address.ToString());
        }
    }

    public void RemoveAddress(int interfaceIndex, IPAddress address, int prefixLength)
    {
        if (!_addresses.Remove((interfaceIndex, address)))
        {
            throw new NetlinkException(Errno.EADDRNOTAVAIL, "remove address", address.ToString());
        }
    }

    public void Dispose()
    {
    }

    private Link Require(string name, string operation) => GetLink(name) ?? throw new NetlinkException(Errno.ENODEV, operation, name);
}
