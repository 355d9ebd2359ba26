using System.Text;

namespace Netlink.Netfilter.IpSet;

/// <summary>The kernel's rule for set names: 1 to 31 bytes of UTF-8 without a NUL (IPSET_MAXNAMELEN - 1).</summary>
internal static class IpSetNames
{
    public static string Check(string name, string what = "set name")
    {
        ArgumentNullException.ThrowIfNull(name);
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes == 0 || bytes >= IpSetConstants.MaxNameLength || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{what} \"{name}\" must be 1 to {IpSetConstants.MaxNameLength - 1} bytes without NUL; choose a shorter name", nameof(name));
        }
        return name;
    }
}
