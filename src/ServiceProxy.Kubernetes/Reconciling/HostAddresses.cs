using Netlink.Route;
using ServiceProxy.Kubernetes.Translation;

namespace ServiceProxy.Kubernetes.Reconciling;

/// <summary>This host's addresses with their interfaces' names, as <see cref="ProxyNode.Create"/> takes them.</summary>
public static class HostAddresses
{
    /// <summary>
    /// Reads every address of every interface through <paramref name="route"/> (RTM_GETLINK and RTM_GETADDR dumps), in
    /// the kernel's order, so that two reads of an unchanged host compare equal.
    /// </summary>
    public static IReadOnlyList<LocalAddress> Read(IRouteClient route)
    {
        ArgumentNullException.ThrowIfNull(route);
        Dictionary<int, string> names = route.ListLinks().ToDictionary(l => l.Index, l => l.Name);
        var addresses = new List<LocalAddress>();
        foreach (InterfaceAddress address in route.ListAddresses())
        {
            // an address whose link went between the two dumps is gone too
            if (names.TryGetValue(address.InterfaceIndex, out string? name))
            {
                addresses.Add(new LocalAddress(name, address.Address));
            }
        }
        return addresses;
    }
}
