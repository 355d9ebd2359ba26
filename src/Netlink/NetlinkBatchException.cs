namespace Netlink;

/// <summary>
/// One or more requests of a batch failed. The message describes the first; <see cref="Errors"/> lists all that
/// the kernel reported. Requests after the first failure may have been applied if they went out in the same send;
/// see <see cref="NetlinkBatchOptions.StopAtFirstError"/>.
/// </summary>
public sealed class NetlinkBatchException : NetlinkException
{
    /// <summary>Creates the exception for the first error and the full list.</summary>
    public NetlinkBatchException(NetlinkOperationError first, string operation, string? target, IReadOnlyList<NetlinkOperationError> errors, int completed)
        : base(first.ErrorNumber, operation, target, first.KernelMessage, first.KernelOffset,
            errors.Count > 1 ? $"{errors.Count - 1} more request(s) of the batch failed too" : null)
    {
        Errors = errors;
        FailedIndex = first.Index;
        CompletedRequests = completed;
    }

    /// <summary>Creates an empty exception.</summary>
    public NetlinkBatchException()
    {
        Errors = [];
    }

    /// <summary>Creates an exception with a message.</summary>
    public NetlinkBatchException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates an exception with a message and inner exception.</summary>
    public NetlinkBatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Every failure the kernel reported, in request order.</summary>
    public IReadOnlyList<NetlinkOperationError> Errors { get; }

    /// <summary>Index of the first failed request.</summary>
    public int FailedIndex { get; }

    /// <summary>How many requests were sent (and so processed by the kernel) before the batch stopped.</summary>
    public int CompletedRequests { get; }
}
