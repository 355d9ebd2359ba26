namespace Netlink.Netfilter.IpSet;

/// <summary>
/// What a caller does with the kernel's IP sets (ipset over NETLINK_NETFILTER, subsystem NFNL_SUBSYS_IPSET): the
/// operations of <see cref="IpSetClient"/>, as an interface so the layer above can run on a fake. Refusals throw
/// <see cref="IpSetException"/>.
/// </summary>
public interface IIpSetClient : IDisposable
{
    /// <summary>
    /// Creates <paramref name="definition"/> (IPSET_CMD_CREATE) at the newest revision of its type the kernel has. With
    /// <paramref name="ifMissing"/>, an existing set of the same type and settings is no error.
    /// </summary>
    void Create(IpSetDefinition definition, bool ifMissing = false);

    /// <summary>Destroys a set no rule references (IPSET_CMD_DESTROY).</summary>
    void Destroy(string name);

    /// <summary>Removes every element of a set (IPSET_CMD_FLUSH).</summary>
    void Flush(string name);

    /// <summary>Renames a set no rule references (IPSET_CMD_RENAME).</summary>
    void Rename(string name, string newName);

    /// <summary>Exchanges two sets of one type and family, atomically for the rules matching them (IPSET_CMD_SWAP).</summary>
    void Swap(string first, string second);

    /// <summary>
    /// Lists the sets (IPSET_CMD_LIST dump), or only <paramref name="name"/> when given (ENOENT when it does not exist),
    /// with their elements unless <paramref name="headersOnly"/>.
    /// </summary>
    IReadOnlyList<IpSetListing> List(string? name = null, bool headersOnly = false);

    /// <summary>Adds an element (IPSET_CMD_ADD); with <paramref name="ifMissing"/> one already there is no error.</summary>
    void Add(string setName, IpSetEntry entry, bool ifMissing = false);

    /// <summary>Deletes an element (IPSET_CMD_DEL); with <paramref name="ifPresent"/> one not there is no error.</summary>
    void Delete(string setName, IpSetEntry entry, bool ifPresent = false);

    /// <summary>Whether <paramref name="entry"/> is in the set (IPSET_CMD_TEST).</summary>
    bool Test(string setName, IpSetEntry entry);

    /// <summary>
    /// Sends every operation of <paramref name="batch"/>, many per system call, in order, and throws for the first the
    /// kernel refuses: the operations before it stay done, and so do the later ones that went out in the same system
    /// call (the kernel works through a whole send); later sends are not made. Returns how many it sent.
    /// </summary>
    int Execute(IpSetBatch batch);

    /// <summary>The newest revision of <paramref name="type"/> the kernel has for <paramref name="family"/> (IPSET_CMD_TYPE).</summary>
    byte Revision(IpSetType type, IpSetFamily family);
}
