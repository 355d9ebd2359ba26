namespace Netlink;

/// <summary>One request of a batch that the kernel refused.</summary>
/// <param name="Index">Position of the request in the batch, from 0.</param>
/// <param name="ErrorNumber">The positive errno.</param>
/// <param name="KernelMessage">The extended-ack text, if any.</param>
/// <param name="KernelOffset">The extended-ack attribute offset, if any.</param>
public readonly record struct NetlinkOperationError(int Index, int ErrorNumber, string? KernelMessage, int? KernelOffset);

/// <summary>Names the operation and object of a batch's request at an index, for error messages.</summary>
/// <param name="index">Position of the request in the batch, from 0.</param>
/// <returns>The operation ("add real server") and its object ("198.18.1.2:80 to TCP 198.18.0.1:80").</returns>
public delegate (string Operation, string? Target) NetlinkOperationDescriber(int index);
