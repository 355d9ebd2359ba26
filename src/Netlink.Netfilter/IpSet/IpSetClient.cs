using static Netlink.Netfilter.IpSet.IpSetConstants;

namespace Netlink.Netfilter.IpSet;

/// <summary>
/// The kernel's IP sets over netlink (NETLINK_NETFILTER, subsystem NFNL_SUBSYS_IPSET, protocol 7), as the <c>ipset</c>
/// program drives them, without starting it: create, destroy, flush, rename, swap, list, add, delete, test, and batches
/// of those. One reused socket. Not thread-safe: one operation at a time (overlapping use throws
/// <see cref="InvalidOperationException"/>). Needs CAP_NET_ADMIN in the socket's network namespace and a kernel with
/// ip_set and the set types used (the modules load on demand on the host; a refused type says which).
/// </summary>
public sealed class IpSetClient : IIpSetClient
{
    private readonly NetlinkConnection _connection;
    private readonly Dictionary<(IpSetType, IpSetFamily), byte> _revisions = [];

    private IpSetClient(NetlinkConnection connection) => _connection = connection;

    /// <summary>Opens a NETLINK_NETFILTER socket (in <see cref="NetlinkClientOptions.Namespace"/> if given).</summary>
    public static IpSetClient Open(IpSetClientOptions? options = null) =>
        new(NetlinkConnection.Open(NetlinkProtocol.Netfilter, (options ?? IpSetClientOptions.Default).ToSocketOptions()));

    /// <summary>Wraps a NETLINK_NETFILTER connection (or a test's stand-in), which the client then owns. Sends nothing.</summary>
    public static IpSetClient Open(NetlinkConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new IpSetClient(connection);
    }

    /// <inheritdoc />
    public byte Revision(IpSetType type, IpSetFamily family)
    {
        if (_revisions.TryGetValue((type, family), out byte known))
        {
            return known;
        }
        using var request = new NetlinkBuffer(128);
        NetlinkWriter writer = IpSetCodec.Begin(request, CmdType, NetlinkMessageFlags.None, out NetlinkMessageToken message);
        writer.WriteString(AttrTypeName, type.Name());
        writer.WriteByte(AttrFamily, (byte)family);
        writer.EndMessage(message);
        if (_connection.TryQuery(request, IpSetCodec.ParseTypeRevision, out byte revision) is { } error)
        {
            throw new IpSetException(error.ErrorNumber, "look up set type", $"{type.Name()} ({family})");
        }
        _revisions[(type, family)] = revision;
        return revision;
    }

    /// <inheritdoc />
    public void Create(IpSetDefinition definition, bool ifMissing = false)
    {
        ArgumentNullException.ThrowIfNull(definition);
        definition.Validate();
        byte revision = Revision(definition.Type, definition.Family);
        using var batch = new IpSetBatch();
        Execute(batch.Create(definition, revision, ifMissing));
    }

    /// <inheritdoc />
    public void Destroy(string name) => One(b => b.Destroy(name));

    /// <inheritdoc />
    public void Flush(string name) => One(b => b.Flush(name));

    /// <inheritdoc />
    public void Rename(string name, string newName) => One(b => b.Rename(name, newName));

    /// <inheritdoc />
    public void Swap(string first, string second) => One(b => b.Swap(first, second));

    /// <inheritdoc />
    public void Add(string setName, IpSetEntry entry, bool ifMissing = false) => One(b => b.Add(setName, entry, ifMissing));

    /// <inheritdoc />
    public void Delete(string setName, IpSetEntry entry, bool ifPresent = false) => One(b => b.Delete(setName, entry, ifPresent));

    /// <inheritdoc />
    public bool Test(string setName, IpSetEntry entry)
    {
        using var request = new NetlinkBuffer(256);
        IpSetCodec.WriteElementMessage(request, CmdTest, NetlinkMessageFlags.None, setName, entry);
        return _connection.TryExecute(request) switch
        {
            null => true,
            { ErrorNumber: ErrExist } => false,
            { } error => throw new IpSetException(error.ErrorNumber, "test element", $"{entry} in set {setName}"),
        };
    }

    /// <inheritdoc />
    public IReadOnlyList<IpSetListing> List(string? name = null, bool headersOnly = false)
    {
        using var request = new NetlinkBuffer(128);
        NetlinkWriter writer = IpSetCodec.Begin(request, CmdList, NetlinkMessageFlags.None, out NetlinkMessageToken message);
        if (name is not null)
        {
            writer.WriteString(AttrSetName, IpSetNames.Check(name));
        }
        if (headersOnly)
        {
            writer.WriteUInt32BigEndian(AttrFlags | NetlinkWriter.NetworkByteOrderFlag, FlagListHeader);
        }
        writer.EndMessage(message);
        try
        {
            return IpSetCodec.Merge(_connection.Dump(request, IpSetCodec.ParseListMessage, "list sets", name));
        }
        catch (NetlinkException e) when (e is not NetlinkProtocolException && e.ErrorNumber != Errno.EIO)
        {
            throw new IpSetException(e.ErrorNumber, "list set" + (name is null ? "s" : ""), name, e);
        }
    }

    /// <inheritdoc />
    public int Execute(IpSetBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return 0;
        }
        try
        {
            return _connection.ExecuteBatch(batch.Buffer, batch.Describe);
        }
        catch (NetlinkBatchException e)
        {
            (string operation, string target) = batch.Describe(e.FailedIndex);
            throw new IpSetException(e.ErrorNumber, operation, target, e);
        }
    }

    private void One(Func<IpSetBatch, IpSetBatch> build)
    {
        using var batch = new IpSetBatch();
        Execute(build(batch));
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
