namespace Netlink;

/// <summary>
/// A message from the kernel (or a stand-in) was malformed: truncated, oversized, misaligned or
/// otherwise not what the protocol allows. Its errno is EPROTO. Parsers throw only this on bad input.
/// </summary>
public sealed class NetlinkProtocolException : NetlinkException
{
    /// <summary>Creates the exception with a description of what was wrong.</summary>
    public NetlinkProtocolException(string message)
        : base(Errno.EPROTO, "malformed netlink message: " + message, null)
    {
    }

    /// <summary>Creates the exception with default text.</summary>
    public NetlinkProtocolException()
        : this("unknown problem")
    {
    }

    /// <summary>Creates the exception with a description and the exception that revealed the problem.</summary>
    public NetlinkProtocolException(string message, Exception innerException)
        : base(Errno.EPROTO, "malformed netlink message: " + message, innerException)
    {
    }
}
