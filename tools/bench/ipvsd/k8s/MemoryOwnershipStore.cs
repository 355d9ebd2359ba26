using Netlink.Ipvs;
using ServiceProxy.Reconciling;

namespace K8sBench;

/// <summary>The reconciler's ownership record in memory (ipvsd keeps it in a file).</summary>
internal sealed class MemoryOwnershipStore : IOwnershipStore
{
    private readonly HashSet<VirtualServiceKey> _keys = [];

    public IReadOnlySet<VirtualServiceKey> Load() => new HashSet<VirtualServiceKey>(_keys);

    public void Save(IReadOnlyCollection<VirtualServiceKey> owned)
    {
        _keys.Clear();
        _keys.UnionWith(owned);
    }

    public void Delete() => _keys.Clear();
}
