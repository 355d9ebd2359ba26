using Netlink.Ipvs;

namespace ServiceProxy.Reconciling;

/// <summary>
/// Where a reconciler records the virtual services it created or adopted, so that after a restart it still knows
/// them from services someone else added (which it must never touch), even when they left its desired table while it
/// was down.
/// </summary>
public interface IOwnershipStore
{
    /// <summary>The services recorded; empty when nothing is.</summary>
    IReadOnlySet<VirtualServiceKey> Load();

    /// <summary>Replaces the record with <paramref name="owned"/>, atomically: a crash leaves the old record or the new.</summary>
    void Save(IReadOnlyCollection<VirtualServiceKey> owned);

    /// <summary>Forgets everything (after a cleanup).</summary>
    void Delete();
}
