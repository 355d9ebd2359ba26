using System.Net;
using System.Net.Sockets;

namespace ServiceProxy.Rules;

/// <summary>
/// The one order the lists of a normalized <see cref="ServiceRuleSet"/> are in: IPv4 before IPv6, then by address bytes,
/// then protocol and port (or prefix length), so both backends install and read back the same sequence.
/// </summary>
internal static class RuleOrder
{
    public static IReadOnlyList<VirtualIp> Sorted(IEnumerable<VirtualIp> vips) =>
        [.. vips.Distinct().OrderBy(v => v.IsIPv6).ThenBy(v => v.Address.GetAddressBytes(), ByteOrder.Instance).ThenBy(v => v.Protocol).ThenBy(v => v.Port)];

    public static IReadOnlyList<IPAddress> Sorted(IEnumerable<IPAddress> addresses) =>
        [.. addresses.Distinct().OrderBy(IsIPv6).ThenBy(a => a.GetAddressBytes(), ByteOrder.Instance)];

    public static IReadOnlyList<IPNetwork> Sorted(IEnumerable<IPNetwork> networks) =>
        [.. networks.Distinct().OrderBy(n => IsIPv6(n.BaseAddress)).ThenBy(n => n.BaseAddress.GetAddressBytes(), ByteOrder.Instance).ThenBy(n => n.PrefixLength)];

    /// <summary>
    /// The ranges of one target merged: a range inside another one is dropped (CIDRs nest or are apart), since an
    /// interval set refuses overlapping elements and the wider range allows the same sources.
    /// </summary>
    public static IReadOnlyList<IPNetwork> Widest(IEnumerable<IPNetwork> networks)
    {
        var kept = new List<IPNetwork>();
        foreach (IPNetwork network in networks.Distinct().OrderBy(n => n.PrefixLength))
        {
            if (!kept.Any(k => k.Contains(network.BaseAddress)))
            {
                kept.Add(network);
            }
        }
        return Sorted(kept);
    }

    private static bool IsIPv6(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6;

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => ((ReadOnlySpan<byte>)x).SequenceCompareTo(y);
    }
}
