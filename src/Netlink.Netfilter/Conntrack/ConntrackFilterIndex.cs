using System.Net;

namespace Netlink.Netfilter.Conntrack;

/// <summary>
/// Many filters matched against a whole table's dump: grouped by original destination, so an entry is tried only
/// against the filters of its own destination (and those with none). A sync that cleans up after thousands of
/// services would otherwise try every entry against every filter.
/// </summary>
internal sealed class ConntrackFilterIndex
{
    private readonly Dictionary<IPAddress, List<ConntrackFilter>> _byDestination = [];
    private readonly List<ConntrackFilter> _anyDestination = [];

    public ConntrackFilterIndex(IEnumerable<ConntrackFilter> filters)
    {
        foreach (ConntrackFilter filter in filters)
        {
            ArgumentNullException.ThrowIfNull(filter);
            if (filter.OriginalDestination is null)
            {
                _anyDestination.Add(filter);
            }
            else if (_byDestination.TryGetValue(filter.OriginalDestination, out List<ConntrackFilter>? same))
            {
                same.Add(filter);
            }
            else
            {
                _byDestination[filter.OriginalDestination] = [filter];
            }
        }
    }

    /// <summary>Whether any filter matches <paramref name="entry"/>.</summary>
    public bool Matches(ConntrackEntry entry) =>
        (_byDestination.TryGetValue(entry.Original.Destination, out List<ConntrackFilter>? filters) && filters.Exists(f => f.Matches(entry)))
        || _anyDestination.Exists(f => f.Matches(entry));
}
