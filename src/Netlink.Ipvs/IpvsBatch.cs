using Netlink.Ipvs.Codec;

namespace Netlink.Ipvs;

/// <summary>
/// Many IPVS changes encoded up front and sent by <see cref="IpvsClient.Execute(IpvsBatch, NetlinkBatchOptions?)"/>
/// many per send, in order. Make one with <see cref="IpvsClient.CreateBatch"/>; reuse it after <see cref="Clear"/>.
/// </summary>
public sealed class IpvsBatch : IDisposable
{
    private readonly ushort _familyId;
    private readonly NetlinkBuffer _buffer = new(64 * 1024);
    private readonly List<(IpvsOperationKind Kind, VirtualServiceKey Service, RealServer? Server)> _operations = [];

    /// <summary>
    /// An empty batch for the IPVS family <paramref name="familyId"/>. <see cref="IpvsClient.CreateBatch"/> makes one with
    /// the kernel's id; a fake <see cref="IIpvsClient"/> makes one with any.
    /// </summary>
    public IpvsBatch(ushort familyId) => _familyId = familyId;

    /// <summary>Number of changes queued.</summary>
    public int Count => _operations.Count;

    internal NetlinkBuffer Buffer => _buffer;

    /// <summary>Queues adding <paramref name="service"/>.</summary>
    public void AddService(VirtualService service)
    {
        Whole(() => IpvsRequestWriter.WriteService(_buffer, _familyId, service, update: false));
        _operations.Add((IpvsOperationKind.AddService, service.Key, null));
    }

    /// <summary>Queues changing <paramref name="service"/>'s settings in place.</summary>
    public void UpdateService(VirtualService service)
    {
        Whole(() => IpvsRequestWriter.WriteService(_buffer, _familyId, service, update: true));
        _operations.Add((IpvsOperationKind.UpdateService, service.Key, null));
    }

    /// <summary>Queues deleting the service <paramref name="key"/> and its real servers.</summary>
    public void DeleteService(VirtualServiceKey key)
    {
        Whole(() => IpvsRequestWriter.WriteServiceKeyOnly(_buffer, _familyId, IpvsConstants.CmdDelService, key));
        _operations.Add((IpvsOperationKind.DeleteService, key, null));
    }

    /// <summary>Queues adding <paramref name="server"/> to <paramref name="service"/>.</summary>
    public void AddRealServer(VirtualServiceKey service, RealServer server)
    {
        Whole(() => IpvsRequestWriter.WriteRealServer(_buffer, _familyId, service, server, update: false));
        _operations.Add((IpvsOperationKind.AddRealServer, service, server));
    }

    /// <summary>Queues changing <paramref name="server"/>'s settings in place.</summary>
    public void UpdateRealServer(VirtualServiceKey service, RealServer server)
    {
        Whole(() => IpvsRequestWriter.WriteRealServer(_buffer, _familyId, service, server, update: true));
        _operations.Add((IpvsOperationKind.UpdateRealServer, service, server));
    }

    /// <summary>Queues removing <paramref name="server"/> (by address and port) from <paramref name="service"/>.</summary>
    public void DeleteRealServer(VirtualServiceKey service, RealServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        Whole(() => IpvsRequestWriter.WriteDeleteRealServer(_buffer, _familyId, service, server.Address, server.Port));
        _operations.Add((IpvsOperationKind.DeleteRealServer, service, server));
    }

    /// <summary>
    /// Runs one request's encoding; when it throws (a value the kernel's fields cannot hold), the part it wrote is cut
    /// off again, so the batch keeps only the whole requests queued before it (found by fuzzing ipvsadm -R: a too long
    /// scheduler name left a request of length 0 that failed the whole restore).
    /// </summary>
    private void Whole(Action write)
    {
        int before = _buffer.Length;
        try
        {
            write();
        }
        catch
        {
            _buffer.Truncate(before);
            throw;
        }
    }

    /// <summary>Forgets every queued change.</summary>
    public void Clear()
    {
        _buffer.Clear();
        _operations.Clear();
    }

    /// <summary>The operation at <paramref name="index"/>, for error messages.</summary>
    public (IpvsOperationKind Kind, VirtualServiceKey Service, RealServer? Server) this[int index] => _operations[index];

    internal (string Operation, string? Target) Describe(int index)
    {
        (IpvsOperationKind kind, VirtualServiceKey service, RealServer? server) = _operations[index];
        return IpvsClient.Describe(kind, service, server);
    }

    /// <inheritdoc />
    public void Dispose() => _buffer.Dispose();
}
