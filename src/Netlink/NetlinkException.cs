using System.Text;

namespace Netlink;

/// <summary>
/// A netlink operation failed. Carries the errno, what was being done and to what, and the kernel's
/// extended-ack text and attribute offset when the kernel sent them. The message reads like
/// <c>add real server 198.18.1.2:80 to TCP 198.18.0.1:80: File exists (EEXIST)</c>.
/// </summary>
public class NetlinkException : Exception
{
    /// <summary>Creates an exception for <paramref name="errno"/> (positive).</summary>
    public NetlinkException(int errno, string? operation, string? target, string? kernelMessage = null, int? kernelOffset = null, string? hint = null)
        : base(Format(errno, operation, target, kernelMessage, hint))
    {
        ErrorNumber = errno;
        Operation = operation;
        Target = target;
        KernelMessage = kernelMessage;
        KernelOffset = kernelOffset;
    }

    /// <summary>The kernel's refusal <paramref name="error"/> of <paramref name="operation"/> on <paramref name="target"/>.</summary>
    internal static NetlinkException Refused(NetlinkOperationError error, string operation, string? target) =>
        new(error.ErrorNumber, operation, target, error.KernelMessage, error.KernelOffset);

    /// <summary>Creates an exception with a message of its own (used by subclasses).</summary>
    protected NetlinkException(int errno, string message, Exception? inner)
        : base(message, inner)
    {
        ErrorNumber = errno;
    }

    /// <summary>Creates an exception with default text.</summary>
    public NetlinkException()
        : this(Errno.EIO, "netlink operation", (string?)null)
    {
    }

    /// <summary>Creates an exception with the given text and errno EIO.</summary>
    public NetlinkException(string message)
        : base(message)
    {
        ErrorNumber = Errno.EIO;
    }

    /// <summary>Creates an exception with the given text and inner exception, errno EIO.</summary>
    public NetlinkException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorNumber = Errno.EIO;
    }

    /// <summary>The positive errno value (for example 17 for EEXIST).</summary>
    public int ErrorNumber { get; }

    /// <summary>The errno's symbolic name, for example "EEXIST".</summary>
    public string ErrorName => Errno.Name(ErrorNumber);

    /// <summary>What was being done, for example "add real server".</summary>
    public string? Operation { get; }

    /// <summary>The object it was done to, for example "198.18.1.2:80 to TCP 198.18.0.1:80".</summary>
    public string? Target { get; }

    /// <summary>The kernel's extended-ack message (NLMSGERR_ATTR_MSG), when it sent one.</summary>
    public string? KernelMessage { get; }

    /// <summary>Offset in the request of the attribute the kernel blamed (NLMSGERR_ATTR_OFFS), when it sent one.</summary>
    public int? KernelOffset { get; }

    internal static NetlinkException FromErrno(int errno, string operation, string? target) => new(errno, operation, target);

    private static string Format(int errno, string? operation, string? target, string? kernelMessage, string? hint)
    {
        var text = new StringBuilder();
        if (operation is not null)
        {
            text.Append(operation);
            if (target is not null)
            {
                text.Append(' ').Append(target);
            }
            text.Append(": ");
        }
        text.Append(Errno.Describe(errno)).Append(" (").Append(Errno.Name(errno)).Append(')');
        if (!string.IsNullOrEmpty(kernelMessage))
        {
            text.Append(": ").Append(kernelMessage);
        }
        if (!string.IsNullOrEmpty(hint))
        {
            text.Append(". ").Append(hint);
        }
        return text.ToString();
    }
}
