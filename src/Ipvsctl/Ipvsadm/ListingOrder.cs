using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Netlink;
using Netlink.Ipvs;

namespace Ipvsctl.Ipvsadm;

/// <summary>
/// The order ipvsadm lists services and real servers in: libipvs's comparisons (which subtract 32-bit values and
/// read the difference as a signed int) run through glibc's merge sort, so that even tables whose comparisons wrap
/// (addresses 2^31 apart) come out in exactly ipvsadm's order.
/// </summary>
internal static class ListingOrder
{
    public static void SortServices(List<ObservedVirtualService> services) => MergeSort(services, CompareServices);

    public static void SortServers(List<ObservedRealServer> servers) => MergeSort(servers, CompareServers);

    /// <summary>libipvs's ipvs_cmp_services.</summary>
    internal static int CompareServices(ObservedVirtualService a, ObservedVirtualService b)
    {
        VirtualServiceKey x = a.Key, y = b.Key;
        int r = unchecked((int)(x.FirewallMark - y.FirewallMark));
        if (r != 0)
        {
            return r;
        }
        r = LinuxAddressFamily.Of(x.Family) - LinuxAddressFamily.Of(y.Family);
        if (r != 0)
        {
            return r;
        }
        r = (ushort)x.Protocol - (ushort)y.Protocol;
        if (r != 0)
        {
            return r;
        }
        r = CompareAddresses(x.Family == AddressFamily.InterNetworkV6, x.Address, y.Address);
        return r != 0 ? r : x.Port - y.Port;
    }

    /// <summary>libipvs's ipvs_cmp_dests.</summary>
    internal static int CompareServers(ObservedRealServer a, ObservedRealServer b) => CompareServers(a.Settings, b.Settings);

    /// <summary>libipvs's ipvs_cmp_dests, on the address and port.</summary>
    internal static int CompareServers(RealServer a, RealServer b)
    {
        int r = CompareAddresses(a.Address.AddressFamily == AddressFamily.InterNetworkV6, a.Address, b.Address);
        return r != 0 ? r : a.Port - b.Port;
    }

    private static int CompareAddresses(bool v6, IPAddress? a, IPAddress? b)
    {
        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        Fill(a, x);
        Fill(b, y);
        int words = v6 ? 4 : 1;
        int r = 0;
        for (int i = 0; r == 0 && i < words; i++)
        {
            r = unchecked((int)(BinaryPrimitives.ReadUInt32BigEndian(x[(4 * i)..]) - BinaryPrimitives.ReadUInt32BigEndian(y[(4 * i)..])));
        }
        return r;
    }

    private static void Fill(IPAddress? address, Span<byte> bytes)
    {
        bytes.Clear();
        if (address is not null)
        {
            address.TryWriteBytes(bytes, out _);
        }
    }

    /// <summary>glibc's msort: halves of n/2 and n - n/2, merged taking from the left while compare(left, right) &lt;= 0.</summary>
    private static void MergeSort<T>(List<T> items, Comparison<T> compare)
    {
        if (items.Count < 2)
        {
            return;
        }
        T[] data = [.. items];
        var scratch = new T[data.Length];
        Sort(data, scratch, 0, data.Length, compare);
        for (int i = 0; i < data.Length; i++)
        {
            items[i] = data[i];
        }
    }

    private static void Sort<T>(T[] data, T[] scratch, int start, int count, Comparison<T> compare)
    {
        if (count <= 1)
        {
            return;
        }
        int n1 = count / 2;
        int n2 = count - n1;
        Sort(data, scratch, start, n1, compare);
        Sort(data, scratch, start + n1, n2, compare);
        int left = start, right = start + n1, leftEnd = start + n1, rightEnd = start + count, target = 0;
        while (left < leftEnd && right < rightEnd)
        {
            scratch[target++] = compare(data[left], data[right]) <= 0 ? data[left++] : data[right++];
        }
        while (left < leftEnd)
        {
            scratch[target++] = data[left++];
        }
        // What remains on the right is already in place.
        Array.Copy(scratch, 0, data, start, target);
    }
}
