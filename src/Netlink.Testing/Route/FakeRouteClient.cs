using System.Net;
using Netlink.Route;

namespace Netlink.Testing;

/// <summary>
/// Links and addresses in memory, as rtnetlink keeps them: a loopback and an eth0 holding the node's addresses, then
/// whatever the code under test creates (a dummy interface for virtual IPs, say), refusing what the kernel refuses (a
/// second link or address of a name, a missing one) with the kernel's errno. Address checks are indexed, so binding
/// ten thousand virtual IPs costs what the code under test does, not the fake.
/// </summary>
public sealed class FakeRouteClient : IRouteClient
{
    private const uint InterfaceUp = 0x1; // IFF_UP of linux/if.h

    private readonly List<Link> _links = [];
    private readonly List<InterfaceAddress> _addresses = [];
    private readonly HashSet<(int Link, IPAddress Address)> _bound = [];
    private int _nextIndex = 1;

    /// <summary>A host with lo (127.0.0.1/8) and eth0, both up, eth0 holding <paramref name="nodeAddresses"/>
    /// (IPv4 as /24, IPv6 as /64).</summary>
    public FakeRouteClient(params IReadOnlyList<IPAddress> nodeAddresses)
    {
        ArgumentNullException.ThrowIfNull(nodeAddresses);
        CreateLink("lo", "loopback");
        CreateLink("eth0", "physical");
        SetLinkUp("lo", true);
        SetLinkUp("eth0", true);
        AddAddress("lo", IPAddress.Loopback, 8);
        foreach (IPAddress address in nodeAddresses)
        {
            AddAddress("eth0", address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 24 : 64);
        }
    }

    /// <summary>How many times addresses were listed: code that did not look at the virtual IPs made no listing.</summary>
    public int AddressListings { get; private set; }

    /// <summary>The addresses on <paramref name="name"/> as text, IPv4 first, then by bytes; empty when there is no such link.</summary>
    public IReadOnlyList<string> AddressesOn(string name) =>
        GetLink(name) is { } link
            ? [.. _addresses.Where(a => a.InterfaceIndex == link.Index).Select(a => a.Address).Order(AddressComparer.Instance).Select(a => a.ToString())]
            : [];

    /// <inheritdoc />
    public IReadOnlyList<Link> ListLinks() => [.. _links];

    /// <inheritdoc />
    public Link? GetLink(string name) => _links.Find(l => l.Name == name);

    /// <inheritdoc />
    public void CreateDummy(string name) => CreateLink(name, "dummy");

    /// <inheritdoc />
    public void CreateLink(string name, string kind)
    {
        if (GetLink(name) is not null)
        {
            throw new NetlinkException(Errno.EEXIST, "create link", name);
        }
        // physical and loopback links report no kind, as the kernel reports none for them
        _links.Add(new Link(_nextIndex++, name, kind is "physical" or "loopback" ? null : kind, 0, 1500, [], 0));
    }

    /// <inheritdoc />
    public void DeleteLink(string name)
    {
        Link link = Require(name, "delete link");
        _links.Remove(link);
        _addresses.RemoveAll(a => a.InterfaceIndex == link.Index);
        _bound.RemoveWhere(b => b.Link == link.Index);
    }

    /// <inheritdoc />
    public void SetLinkUp(string name, bool up)
    {
        Link link = Require(name, "set link up");
        _links[_links.IndexOf(link)] = link with { Flags = up ? link.Flags | InterfaceUp : link.Flags & ~InterfaceUp };
    }

    /// <inheritdoc />
    public IReadOnlyList<InterfaceAddress> ListAddresses(int? interfaceIndex = null)
    {
        AddressListings++;
        return [.. _addresses.Where(a => interfaceIndex is null || a.InterfaceIndex == interfaceIndex)];
    }

    /// <inheritdoc />
    public void AddAddress(string linkName, IPAddress address, int prefixLength, bool noDuplicateDetection = true) =>
        AddAddress(Require(linkName, "add address").Index, address, prefixLength, noDuplicateDetection);

    /// <inheritdoc />
    public void RemoveAddress(string linkName, IPAddress address, int prefixLength) =>
        RemoveAddress(Require(linkName, "remove address").Index, address, prefixLength);

    /// <inheritdoc />
    public void AddAddress(int interfaceIndex, IPAddress address, int prefixLength, bool noDuplicateDetection = true)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!_links.Exists(l => l.Index == interfaceIndex))
        {
            throw new NetlinkException(Errno.ENODEV, "add address", address.ToString());
        }
        if (!_bound.Add((interfaceIndex, address)))
        {
            throw new NetlinkException(Errno.EEXIST, "add address", address.ToString());
        }
        _addresses.Add(new InterfaceAddress(interfaceIndex, address, prefixLength, null, 0, 0));
    }

    /// <inheritdoc />
    public void RemoveAddress(int interfaceIndex, IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_addresses.RemoveAll(a => a.InterfaceIndex == interfaceIndex && a.Address.Equals(address) && a.PrefixLength == prefixLength) == 0)
        {
            throw new NetlinkException(Errno.EADDRNOTAVAIL, "remove address", address.ToString());
        }
        _bound.Remove((interfaceIndex, address));
    }

    /// <inheritdoc />
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
