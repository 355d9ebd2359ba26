using System.Net;
using System.Net.Sockets;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// Which of this host's addresses are node addresses, and which of those node ports listen on, as kube-proxy's IPVS
/// mode chose them: every local address except those on the dummy interface (the virtual IPs themselves), loopback
/// and IPv6 link-local ones (an IPVS virtual server cannot name a link-local address's interface); with
/// --nodeport-addresses, only those inside the configured networks.
/// </summary>
public static class NodePortAddresses
{
    /// <summary>
    /// The node's own addresses among <paramref name="local"/>: not on <paramref name="dummyInterface"/>, not loopback,
    /// not IPv6 link-local. Sorted (IPv4 first) without duplicates, so that equal inputs give equal lists.
    /// </summary>
    public static IReadOnlyList<IPAddress> NodeAddresses(IEnumerable<LocalAddress> local, string dummyInterface)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(dummyInterface);
        var addresses = new SortedSet<IPAddress>(AddressOrder.Instance);
        foreach (LocalAddress address in local)
        {
            ArgumentNullException.ThrowIfNull(address);
            IPAddress ip = address.Address.IsIPv4MappedToIPv6 ? address.Address.MapToIPv4() : address.Address;
            if (address.Interface == dummyInterface || IPAddress.IsLoopback(ip) || ip.IsIPv6LinkLocal
                || ip.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            {
                continue;
            }
            addresses.Add(ip);
        }
        return [.. addresses];
    }

    /// <summary>
    /// The addresses node ports listen on: the <see cref="NodeAddresses">node addresses</see> inside one of
    /// <paramref name="cidrs"/>, or all of them when <paramref name="cidrs"/> is empty.
    /// </summary>
    public static IReadOnlyList<IPAddress> Select(IEnumerable<LocalAddress> local, IReadOnlyList<IPNetwork> cidrs, string dummyInterface)
    {
        ArgumentNullException.ThrowIfNull(cidrs);
        IReadOnlyList<IPAddress> node = NodeAddresses(local, dummyInterface);
        return cidrs.Count == 0 ? node : [.. node.Where(a => cidrs.Any(c => c.Contains(a)))];
    }
}
