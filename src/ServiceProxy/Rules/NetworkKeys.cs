using System.Net;
using System.Net.Sockets;
using Netlink.Netfilter.NfTables;

namespace ServiceProxy.Rules;

/// <summary>The set keys of the service rules' nf_tables sets, and the way back from a key to the model.</summary>
internal static class NetworkKeys
{
    /// <summary><c>address . protocol . port</c>: a virtual IP.</summary>
    public static byte[] VirtualIp(VirtualIp vip) =>
        SetKey.Concat(SetKey.Address(vip.Address), SetKey.Protocol((ProtocolType)vip.Protocol), SetKey.Port(vip.Port));

    /// <summary><c>protocol . port</c>: a node port.</summary>
    public static byte[] NodePort(NodePort port) => SetKey.Concat(SetKey.Protocol((ProtocolType)port.Protocol), SetKey.Port(port.Port));

    /// <summary><c>address . protocol . port . address</c>: an endpoint reached from itself, kube-proxy's dst,dst,src.</summary>
    public static byte[] Hairpin(VirtualIp endpoint) => [.. VirtualIp(endpoint), .. SetKey.Address(endpoint.Address)];

    /// <summary>
    /// <c>target . first source</c> to <c>target . last source</c>: one allowed range of a load balancer IP as an element of
    /// a concatenated interval set, which takes every field as a range and a single value as a range of one.
    /// </summary>
    public static SetElement AllowedSource(VirtualIp target, IPNetwork range)
    {
        byte[] first = range.BaseAddress.GetAddressBytes();
        byte[] last = [.. first];
        byte[] mask = Mask(range);
        for (int i = 0; i < last.Length; i++)
        {
            last[i] |= (byte)~mask[i];
        }
        byte[] start = [.. VirtualIp(target), .. first];
        byte[] end = [.. VirtualIp(target), .. last];
        return new SetElement(start) { KeyEnd = end };
    }

    /// <summary>The network mask of <paramref name="range"/>, as many bytes as its address.</summary>
    public static byte[] Mask(IPNetwork range)
    {
        byte[] mask = new byte[range.BaseAddress.GetAddressBytes().Length];
        for (int bit = 0; bit < range.PrefixLength; bit++)
        {
            mask[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }
        return mask;
    }

    /// <summary>Reads <c>address . protocol . port</c> from the start of <paramref name="key"/>; false for a key of another length.</summary>
    public static bool TryReadVirtualIp(ReadOnlySpan<byte> key, int addressLength, out VirtualIp vip)
    {
        vip = null!;
        if (key.Length < addressLength + 8)
        {
            return false;
        }
        vip = new VirtualIp(new IPAddress(key[..addressLength]), (ServiceProtocol)key[addressLength],
            System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(key[(addressLength + 4)..]));
        return true;
    }

    /// <summary>The CIDR from <paramref name="first"/> to <paramref name="last"/>, or null when they do not bound one.</summary>
    public static IPNetwork? Range(ReadOnlySpan<byte> first, ReadOnlySpan<byte> last)
    {
        int prefix = 0;
        while (prefix < first.Length * 8 && Bit(first, prefix) == Bit(last, prefix))
        {
            prefix++;
        }
        for (int bit = prefix; bit < first.Length * 8; bit++)
        {
            if (Bit(first, bit) || !Bit(last, bit))
            {
                return null;
            }
        }
        return new IPNetwork(new IPAddress(first), prefix);
    }

    private static bool Bit(ReadOnlySpan<byte> bytes, int bit) => (bytes[bit / 8] & (0x80 >> (bit % 8))) != 0;
}
