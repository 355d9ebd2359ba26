using System.Net;

namespace ServiceProxy.VirtualIps;

/// <summary>What <see cref="VirtualIpBinder.Bind"/> changed.</summary>
/// <param name="Added">Addresses put on the interface.</param>
/// <param name="Removed">Addresses taken off it (no longer wanted, or now local on another interface).</param>
/// <param name="AlreadyLocal">Wanted addresses left alone because another interface holds them (node addresses).</param>
public sealed record VirtualIpChanges(IReadOnlyList<IPAddress> Added, IReadOnlyList<IPAddress> Removed, IReadOnlyList<IPAddress> AlreadyLocal)
{
    /// <summary>Whether nothing was added or removed.</summary>
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0;
}
