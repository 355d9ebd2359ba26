using System.Net;
using Netlink.Ipvs;

namespace Ipvsctl.Declarative.Output;

/// <summary>
/// A stable order for printing: the kernel lists services in hash order, which changes between runs and kernels;
/// sorted output diffs cleanly. Address services first (IPv4, then IPv6, by address, protocol, port), then marks.
/// </summary>
internal static class EntryOrder
{
    public static IComparer<VirtualServiceKey> Services { get; } = Comparer<VirtualServiceKey>.Create(CompareServices);

    public static IComparer<RealServer> RealServers { get; } = Comparer<RealServer>.Create(
        (a, b) => CompareAddresses(a.Address, b.Address) is int c && c != 0 ? c : a.Port.CompareTo(b.Port));

    private static int CompareServices(VirtualServiceKey? a, VirtualServiceKey? b)
    {
        if (a is null || b is null)
        {
            return (a is null).CompareTo(b is null);
        }
        int c = a.IsFirewallMark.CompareTo(b.IsFirewallMark);
        if (c != 0)
        {
            return c;
        }
        if (a.IsFirewallMark)
        {
            c = a.FirewallMark.CompareTo(b.FirewallMark);
            return c != 0 ? c : a.Family.CompareTo(b.Family);
        }
        c = CompareAddresses(a.Address!, b.Address!);
        if (c != 0)
        {
            return c;
        }
        c = a.Protocol.CompareTo(b.Protocol);
        return c != 0 ? c : a.Port.CompareTo(b.Port);
    }

    private static int CompareAddresses(IPAddress a, IPAddress b)
    {
        byte[] x = a.GetAddressBytes();
        byte[] y = b.GetAddressBytes();
        int c = x.Length.CompareTo(y.Length);
        return c != 0 ? c : x.AsSpan().SequenceCompareTo(y);
    }
}
