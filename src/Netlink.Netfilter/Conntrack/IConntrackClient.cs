namespace Netlink.Netfilter.Conntrack;

/// <summary>
/// What a caller does with the connection-tracking table (ctnetlink, NFNL_SUBSYS_CTNETLINK): the operations of
/// <see cref="ConntrackClient"/>, as an interface so the layer above can run on a fake.
/// </summary>
public interface IConntrackClient : IDisposable
{
    /// <summary>Lists the entries of both address families (IPCTNL_MSG_CT_GET dump) that match <paramref name="filter"/> (all when null).</summary>
    IReadOnlyList<ConntrackEntry> List(ConntrackFilter? filter = null);

    /// <summary>Deletes every entry <paramref name="filter"/> matches (IPCTNL_MSG_CT_DELETE each); returns how many it deleted.</summary>
    int Delete(ConntrackFilter filter);

    /// <summary>
    /// Deletes every entry that any of <paramref name="filters"/> matches; returns how many it deleted.
    /// <see cref="ConntrackClient"/> lists the table once for all of them, so a caller with many filters at once
    /// (a sync that touched many services) should pass them together. The default asks <see cref="Delete(ConntrackFilter)"/>
    /// once per filter.
    /// </summary>
    int Delete(IReadOnlyCollection<ConntrackFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        return filters.Sum(Delete);
    }

    /// <summary>Deletes every entry of both families (IPCTNL_MSG_CT_DELETE without a tuple, as conntrack -F).</summary>
    void Flush();
}
