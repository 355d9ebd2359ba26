using System.Net;

namespace ServiceProxy.VirtualIps;

/// <summary>IPv4 before IPv6, then by the address bytes: a stable order for logs and results.</summary>
internal sealed class AddressOrder : IComparer<IPAddress>
{
    public static AddressOrder Instance { get; } = new();

    public int Compare(IPAddress? x, IPAddress? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }
        int byFamily = x.AddressFamily.CompareTo(y.AddressFamily);
        return byFamily != 0 ? byFamily : x.GetAddressBytes().AsSpan().SequenceCompareTo(y.GetAddressBytes());
    }
}
