using System.Globalization;
using System.Net;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// Reads "address/prefix" as Kubernetes accepts it in spec.loadBalancerSourceRanges: surrounding spaces are ignored
/// (kube-proxy trims them) and host bits are cleared ("10.0.0.1/8" means 10.0.0.0/8, as Go's ParseCIDR reads it),
/// where <see cref="IPNetwork.TryParse(string, out IPNetwork)"/> would refuse it.
/// </summary>
internal static class Cidr
{
    public static bool TryParse(string? text, out IPNetwork network)
    {
        network = default;
        string trimmed = text?.Trim() ?? "";
        int slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0
            || !IpText.TryParse(trimmed.AsSpan(0, slash), out IPAddress address)
            || !int.TryParse(trimmed.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix))
        {
            return false;
        }
        byte[] bytes = address.GetAddressBytes();
        if (prefix > bytes.Length * 8)
        {
            return false;
        }
        for (int bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
        network = new IPNetwork(new IPAddress(bytes), prefix);
        return true;
    }
}
