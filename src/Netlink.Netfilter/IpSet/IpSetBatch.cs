using static Netlink.Netfilter.IpSet.IpSetConstants;

namespace Netlink.Netfilter.IpSet;

/// <summary>
/// Set operations collected to go to the kernel together (<see cref="IIpSetClient.Execute"/>): one message each, many
/// messages per send, processed in order. ipset has no transactions: the operations before a failing one stay done (so
/// do those sent with it in one system call), and the error names the failing one. Adding a set's elements in one batch costs one system call per few hundred elements
/// rather than one per element. Reusable after <see cref="Clear"/>. Not thread-safe.
/// </summary>
public sealed class IpSetBatch : IDisposable
{
    private readonly NetlinkBuffer _buffer = new(64 * 1024);
    private readonly List<(string Operation, string Target)> _described = [];
    private readonly List<IpSetOperation> _operations = [];

    /// <summary>How many operations the batch holds.</summary>
    public int Count => _described.Count;

    /// <summary>The operations, in the order they go to the kernel.</summary>
    public IReadOnlyList<IpSetOperation> Operations => _operations;

    internal NetlinkBuffer Buffer => _buffer;

    /// <summary>Empties the batch.</summary>
    public void Clear()
    {
        _buffer.Clear();
        _described.Clear();
        _operations.Clear();
    }

    /// <summary>
    /// Creates <paramref name="set"/> at <paramref name="revision"/> of its type. With <paramref name="ifMissing"/>, an
    /// existing set of the same type and settings is no error (ipset's <c>-exist</c>); one of another type still is.
    /// </summary>
    public IpSetBatch Create(IpSetDefinition set, byte revision, bool ifMissing = false)
    {
        ArgumentNullException.ThrowIfNull(set);
        set.Validate();
        NetlinkWriter writer = IpSetCodec.Begin(_buffer, CmdCreate, ifMissing ? NetlinkMessageFlags.None : NetlinkMessageFlags.Exclusive, out NetlinkMessageToken message);
        writer.WriteString(AttrSetName, set.Name);
        writer.WriteString(AttrTypeName, set.Type.Name());
        writer.WriteByte(AttrRevision, revision);
        writer.WriteByte(AttrFamily, (byte)set.Family);
        IpSetCodec.WriteCreateData(ref writer, set);
        writer.EndMessage(message);
        _operations.Add(new IpSetOperation(IpSetCommand.Create, set.Name, ifMissing) { Definition = set });
        return Described("create set", $"{set.Name} ({set.Type.Name()}, {set.Family})");
    }

    /// <summary>Destroys the set <paramref name="name"/>, which no iptables rule may reference.</summary>
    public IpSetBatch Destroy(string name) => NameOnly(CmdDestroy, IpSetCommand.Destroy, "destroy set", name);

    /// <summary>Removes every element of <paramref name="name"/>.</summary>
    public IpSetBatch Flush(string name) => NameOnly(CmdFlush, IpSetCommand.Flush, "flush set", name);

    /// <summary>Renames <paramref name="name"/> to <paramref name="newName"/>, which must be free; the set must not be referenced.</summary>
    public IpSetBatch Rename(string name, string newName) => TwoNames(CmdRename, IpSetCommand.Rename, "rename set", name, newName, "to");

    /// <summary>
    /// Exchanges the contents (and names) of two sets of one type and family, atomically for the rules that use them: a
    /// rule matching <paramref name="first"/> sees the old elements or the new ones, never a half-filled set.
    /// </summary>
    public IpSetBatch Swap(string first, string second) => TwoNames(CmdSwap, IpSetCommand.Swap, "swap sets", first, second, "and");

    /// <summary>
    /// Adds <paramref name="entry"/> to <paramref name="setName"/>. With <paramref name="ifMissing"/>, an element already in
    /// the set is no error (ipset's <c>-exist</c>).
    /// </summary>
    public IpSetBatch Add(string setName, IpSetEntry entry, bool ifMissing = false) => Element(CmdAdd, "add", setName, entry, ifMissing);

    /// <summary>
    /// Deletes <paramref name="entry"/> from <paramref name="setName"/>. With <paramref name="ifPresent"/>, an element not in
    /// the set is no error (ipset's <c>-exist</c>).
    /// </summary>
    public IpSetBatch Delete(string setName, IpSetEntry entry, bool ifPresent = false) => Element(CmdDel, "delete", setName, entry, ifPresent);

    internal (string Operation, string Target) Describe(int index) =>
        index >= 0 && index < _described.Count ? _described[index] : ("ipset request", $"#{index}");

    private IpSetBatch Element(byte command, string verb, string setName, IpSetEntry entry, bool tolerant)
    {
        // Without NLM_F_EXCL the kernel sets IPSET_FLAG_EXIST itself: an add of a present or a delete of a missing element succeeds.
        IpSetCodec.WriteElementMessage(_buffer, command, tolerant ? NetlinkMessageFlags.None : NetlinkMessageFlags.Exclusive, setName, entry);
        _operations.Add(new IpSetOperation(command == CmdAdd ? IpSetCommand.Add : IpSetCommand.Delete, setName, tolerant) { Entry = entry });
        return Described(verb + " element", command == CmdAdd ? $"{entry} to set {setName}" : $"{entry} from set {setName}");
    }

    private IpSetBatch NameOnly(byte command, IpSetCommand kind, string operation, string name)
    {
        IpSetNames.Check(name);
        NetlinkWriter writer = IpSetCodec.Begin(_buffer, command, NetlinkMessageFlags.None, out NetlinkMessageToken message);
        writer.WriteString(AttrSetName, name);
        writer.EndMessage(message);
        _operations.Add(new IpSetOperation(kind, name));
        return Described(operation, name);
    }

    private IpSetBatch TwoNames(byte command, IpSetCommand kind, string operation, string name, string name2, string joiner)
    {
        IpSetNames.Check(name);
        IpSetNames.Check(name2, "second set name");
        NetlinkWriter writer = IpSetCodec.Begin(_buffer, command, NetlinkMessageFlags.None, out NetlinkMessageToken message);
        writer.WriteString(AttrSetName, name);
        writer.WriteString(AttrSetName2, name2);
        writer.EndMessage(message);
        _operations.Add(new IpSetOperation(kind, name) { OtherSetName = name2 });
        return Described(operation, $"{name} {joiner} {name2}");
    }

    private IpSetBatch Described(string operation, string target)
    {
        _described.Add((operation, target));
        return this;
    }

    /// <inheritdoc />
    public void Dispose() => _buffer.Dispose();
}
