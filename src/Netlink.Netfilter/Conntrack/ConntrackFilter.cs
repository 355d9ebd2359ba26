using System.Net;

namespace Netlink.Netfilter.Conntrack;

/// <summary>
/// Which entries to list or delete; every criterion given must match. For a service proxy: all UDP entries towards a
/// virtual IP and port (<see cref="OriginalDestination"/>), all entries whose replies come from a real server that
/// was removed (<see cref="ReplySource"/>), or the entries towards a virtual IP and port that none of its real servers
/// answers (<see cref="ReplySourceNotIn"/>). Matched in user space, over a dump of the table.
/// </summary>
public sealed record ConntrackFilter
{
    /// <summary>IPPROTO_* number, such as 17 for UDP; null for any.</summary>
    public byte? Protocol { get; init; }

    /// <summary>The original direction's destination address (the virtual IP); null for any.</summary>
    public IPAddress? OriginalDestination { get; init; }

    /// <summary>The original direction's destination port; null for any.</summary>
    public ushort? OriginalDestinationPort { get; init; }

    /// <summary>The reply direction's source address (the real server that answered); null for any.</summary>
    public IPAddress? ReplySource { get; init; }

    /// <summary>The reply direction's source port; null for any.</summary>
    public ushort? ReplySourcePort { get; init; }

    /// <summary>
    /// Reply-direction sources that spare an entry: it matches only when it has a reply tuple whose source is none of
    /// these. With masquerading, the reply source of a flow that reached a real server is that real server, so the
    /// set of a virtual server's real servers picks out the entries of flows that reached none of them (their reply
    /// source is the virtual IP itself when nothing translated them). Null for any; empty spares nothing. Compared
    /// by reference in the record's equality, like any set.
    /// </summary>
    public IReadOnlySet<IPAddress>? ReplySourceNotIn { get; init; }

    /// <summary>Whether <paramref name="entry"/> matches every criterion given.</summary>
    public bool Matches(ConntrackEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return (Protocol is null || entry.Original.Protocol == Protocol)
            && (OriginalDestination is null || entry.Original.Destination.Equals(OriginalDestination))
            && (OriginalDestinationPort is null || entry.Original.DestinationPort == OriginalDestinationPort)
            && (ReplySource is null || (entry.Reply is not null && entry.Reply.Source.Equals(ReplySource)))
            && (ReplySourcePort is null || (entry.Reply is not null && entry.Reply.SourcePort == ReplySourcePort))
            && (ReplySourceNotIn is null || (entry.Reply is not null && !ReplySourceNotIn.Contains(entry.Reply.Source)));
    }
}
