using System.Net;
using System.Net.Sockets;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>Orders addresses IPv4 first, then by their bytes: the order of every address list this namespace returns.</summary>
internal sealed class AddressOrder : IComparer<IPAddress>
{
    public static AddressOrder Instance { get; } = new();

    public int Compare(IPAddress? x, IPAddress? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }
        int family = (x.AddressFamily == AddressFamily.InterNetworkV6).CompareTo(y.AddressFamily == AddressFamily.InterNetworkV6);
        if (family != 0)
        {
            return family;
        }
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        x.TryWriteBytes(a, out int lengthA);
        y.TryWriteBytes(b, out int lengthB);
        return a[..lengthA].SequenceCompareTo(b[..lengthB]);
    }
}
