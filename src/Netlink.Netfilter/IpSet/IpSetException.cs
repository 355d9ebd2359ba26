namespace Netlink.Netfilter.IpSet;

/// <summary>
/// The kernel refused a set operation. The message says what was done to what, then why, in ipset's terms for its own
/// error numbers (IPSET_ERR_*, from 4096): <c>add element 198.18.0.1,tcp:80 to set SVC: it is in the set already
/// (IPSET_ERR_EXIST)</c>. <see cref="NetlinkException.ErrorNumber"/> holds the kernel's number.
/// </summary>
public sealed class IpSetException : NetlinkException
{
    /// <summary>Creates the exception for <paramref name="errno"/> refusing <paramref name="operation"/> on <paramref name="target"/>.</summary>
    public IpSetException(int errno, string operation, string? target, Exception? inner = null)
        : base(errno, $"{operation}{(target is null ? "" : " " + target)}: {IpSetErrors.Describe(errno, operation)}", inner)
    {
        SetOperation = operation;
        SetTarget = target;
    }

    /// <summary>Creates an empty exception.</summary>
    public IpSetException()
        : this(Errno.EIO, "ipset operation", null)
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public IpSetException(string message)
        : base(Errno.EIO, message, null)
    {
        SetOperation = "ipset operation";
    }

    /// <summary>Creates an exception with a message and inner exception.</summary>
    public IpSetException(string message, Exception innerException)
        : base(Errno.EIO, message, innerException)
    {
        SetOperation = "ipset operation";
    }

    /// <summary>What was being done: "add element", "create set".</summary>
    public string SetOperation { get; }

    /// <summary>To what: "198.18.0.1,tcp:80 to set SVC".</summary>
    public string? SetTarget { get; }

    /// <summary>Whether the kernel said the element (or for create, a set of that name with other settings) exists already, or is missing for a delete.</summary>
    public bool IsExist => ErrorNumber == IpSetConstants.ErrExist;
}
