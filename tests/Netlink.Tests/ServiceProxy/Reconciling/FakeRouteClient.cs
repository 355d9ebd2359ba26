using System.Net;
using Netlink.Route;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>
/// Links and addresses in memory, as rtnetlink keeps them: a loopback and an eth0 holding the node's addresses
/// (those of the Kubernetes tests' node-a), refusing what the kernel refuses (a second address or link of a name, a
/// missing one), and counting the address listings, which a sync makes only when it looks at the virtual IPs.
/// </summary>
internal sealed class FakeRouteClient : IRouteClient
{
    public static readonly IPAddress NodeV4 = IPAddress.Parse("192.0.2.10");
    public static readonly IPAddress NodeV6 = IPAddress.Parse("2001:db8::10");

    private readonly List<Link> _links = [];
    private readonly List<InterfaceAddress> _addresses = [];
    private int _nextIndex = 1;

    public FakeRouteClient()
    {
        CreateLink("lo", "loopback");
        CreateLink("eth0", "physical");
        SetLinkUp("lo", true);
        SetLinkUp("eth0", true);
        AddAddress("lo", IPAddress.Loopback, 8);
        AddAddress("eth0", NodeV4, 24);
        AddAddress("eth0", NodeV6, 64);
    }

    public int AddressListings { get; private set; }

    /// <summary>The addresses on <paramref name="name"/>, as text in the binder's order; empty when there is no such link.</summary>
    public IReadOnlyList<string> AddressesOn(string name) =>
        GetLink(name) is { } link
            ? [.. _addresses.Where(a => a.InterfaceIndex == link.Index).Select(a => a.Address).Order(AddressComparer.Instance).Select(a => a.ToString())]
            : [];

    public IReadOnlyList<Link> ListLinks() => [.. _links];

    public Link? GetLink(string name) => _links.Find(l => l.Name == name);

    public void CreateDummy(string name) => CreateLink(name, "dummy");

    public void CreateLink(string name, string kind)
    {
        if (GetLink(name) is not null)
        {
            throw new NetlinkException(Errno.EEXIST, "create link", name);
        }
        // the physical and loopback links of the fake report no kind, as the kernel reports none for them
        _links.Add(new Link(_nextIndex++, name, kind is "physical" or "loopback" ? null : kind, 0, 1500, [], 0));
    }

    public void DeleteLink(string name)
    {
        Link link = Require(name, "delete link");
        _links.Remove(link);
        _addresses.RemoveAll(a => a.InterfaceIndex == link.Index);
    }

    public void SetLinkUp(string name, bool up)
    {
        Link link = Require(name, "set link up");
        _links[_links.IndexOf(link)] = link with { Flags = up ? link.Flags | RouteConstants.IffUp : link.Flags & ~RouteConstants.IffUp };
    }

    public IReadOnlyList<InterfaceAddress> ListAddresses(int? interfaceIndex = null)
    {
        AddressListings++;
        return [.. _addresses.Where(a => interfaceIndex is null || a.InterfaceIndex == interfaceIndex)];
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
        if (_addresses.Exists(a => a.InterfaceIndex == interfaceIndex && a.Address.Equals(address)))
        {
            throw new NetlinkException(Errno.EEXIST, "add address", address.ToString());
        }
        _addresses.Add(new InterfaceAddress(interfaceIndex, address, prefixLength, null, 0, 0));
    }

    public void RemoveAddress(int interfaceIndex, IPAddress address, int prefixLength)
    {
        if (_addresses.RemoveAll(a => a.InterfaceIndex == interfaceIndex && a.Address.Equals(address) && a.PrefixLength == prefixLength) == 0)
        {
            throw new NetlinkException(Errno.EADDRNOTAVAIL, "remove address", address.ToString());
        }
    }

    public void Dispose()
    {
    }

    private Link Require(string name, string operation) => GetLink(name) ?? throw new NetlinkException(Errno.ENODEV, operation, name);

    /// <summary>IPv4 first, then by bytes.</summary>
    private sealed class AddressComparer : IComparer<IPAddress>
    {
        public static AddressComparer Instance { get; } = new();

        public int Compare(IPAddress? x, IPAddress? y)
        {
            int byFamily = x!.AddressFamily.CompareTo(y!.AddressFamily);
            return byFamily != 0 ? byFamily : x.GetAddressBytes().AsSpan().SequenceCompareTo(y.GetAddressBytes());
        }
    }
}
