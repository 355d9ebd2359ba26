namespace Netlink.Ipvs;

/// <summary>The kernel has no IPVS: the generic netlink family "IPVS" is missing (ip_vs not loaded, or not built).</summary>
public sealed class IpvsUnavailableException : NetlinkException
{
    /// <summary>Creates the exception with the reason the family is missing.</summary>
    public IpvsUnavailableException(string detail)
        : base(Errno.ENOENT, "this kernel has no IPVS (generic netlink family \"IPVS\" not found; " + detail + "): load the ip_vs module or use a kernel built with CONFIG_IP_VS", null)
    {
    }

    /// <summary>Creates the exception with default text.</summary>
    public IpvsUnavailableException()
        : this("ip_vs not loaded")
    {
    }

    /// <summary>Creates the exception with a detail and inner exception.</summary>
    public IpvsUnavailableException(string detail, Exception innerException)
        : base(Errno.ENOENT, "this kernel has no IPVS (" + detail + ")", innerException)
    {
    }
}
