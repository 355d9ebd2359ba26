namespace Netlink.Netfilter.IpSet;

/// <summary>What an <see cref="IpSetOperation"/> does.</summary>
public enum IpSetCommand
{
    /// <summary>IPSET_CMD_CREATE.</summary>
    Create,

    /// <summary>IPSET_CMD_DESTROY.</summary>
    Destroy,

    /// <summary>IPSET_CMD_FLUSH.</summary>
    Flush,

    /// <summary>IPSET_CMD_RENAME.</summary>
    Rename,

    /// <summary>IPSET_CMD_SWAP.</summary>
    Swap,

    /// <summary>IPSET_CMD_ADD.</summary>
    Add,

    /// <summary>IPSET_CMD_DEL.</summary>
    Delete,
}

/// <summary>
/// One operation of an <see cref="IpSetBatch"/>, as the caller asked for it (the batch also holds it encoded), so a
/// batch can be logged, checked in a test, or carried out by a stand-in for the kernel.
/// </summary>
/// <param name="Command">What it does.</param>
/// <param name="SetName">The set it acts on.</param>
/// <param name="Tolerant">Whether the kernel's "exists already" (or for a delete "not there") is no error.</param>
public sealed record IpSetOperation(IpSetCommand Command, string SetName, bool Tolerant = false)
{
    /// <summary>The element of an add or delete.</summary>
    public IpSetEntry? Entry { get; init; }

    /// <summary>The definition of a create.</summary>
    public IpSetDefinition? Definition { get; init; }

    /// <summary>The new name of a rename, or the other set of a swap.</summary>
    public string? OtherSetName { get; init; }
}
