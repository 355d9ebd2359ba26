using System.Net;

namespace Netlink.Route;

/// <summary>
/// What a caller does with rtnetlink (NETLINK_ROUTE): the operations of <see cref="RouteClient"/>, as an interface so
/// the layer above can run on a fake. Errors are <see cref="NetlinkException"/>s naming the operation, the object and
/// the errno.
/// </summary>
public interface IRouteClient : IDisposable
{
    /// <summary>Lists every link (one RTM_GETLINK dump).</summary>
    IReadOnlyList<Link> ListLinks();

    /// <summary>The link named <paramref name="name"/>, or null.</summary>
    Link? GetLink(string name);

    /// <summary>Creates a dummy link (RTM_NEWLINK with IFLA_INFO_KIND "dummy"), down. EEXIST if the name is taken.</summary>
    void CreateDummy(string name);

    /// <summary>Creates a link of a kind that needs no other settings (RTM_NEWLINK). EOPNOTSUPP if the kernel lacks the kind.</summary>
    void CreateLink(string name, string kind);

    /// <summary>Deletes the link named <paramref name="name"/> (RTM_DELLINK). ENODEV if there is none.</summary>
    void DeleteLink(string name);

    /// <summary>Sets the link administratively up or down (IFF_UP through ifi_change).</summary>
    void SetLinkUp(string name, bool up);

    /// <summary>Lists the addresses (RTM_GETADDR dump) of every link, or of the link with <paramref name="interfaceIndex"/>.</summary>
    IReadOnlyList<InterfaceAddress> ListAddresses(int? interfaceIndex = null);

    /// <summary>Adds an address to a link (RTM_NEWADDR); IFA_F_NODAD for IPv6 unless told otherwise. EEXIST if there.</summary>
    void AddAddress(string linkName, IPAddress address, int prefixLength, bool noDuplicateDetection = true);

    /// <summary>Removes an address from a link (RTM_DELADDR). EADDRNOTAVAIL if absent.</summary>
    void RemoveAddress(string linkName, IPAddress address, int prefixLength);

    /// <summary>Adds an address to the link with <paramref name="interfaceIndex"/>, without looking the link up by name first.</summary>
    void AddAddress(int interfaceIndex, IPAddress address, int prefixLength, bool noDuplicateDetection = true);

    /// <summary>Removes an address from the link with <paramref name="interfaceIndex"/>, without looking the link up by name first.</summary>
    void RemoveAddress(int interfaceIndex, IPAddress address, int prefixLength);
}
