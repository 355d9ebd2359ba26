using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>"log": logs the packet to the kernel log, or to an nflog group (<c>log prefix "x " group 1</c>).</summary>
public sealed record LogExpression : Expression
{
    /// <inheritdoc />
    public override string Name => "log";

    /// <summary>NFTA_LOG_PREFIX.</summary>
    public string? Prefix { get; init; }

    /// <summary>NFTA_LOG_GROUP: an nflog group (instead of the kernel log).</summary>
    public ushort? Group { get; init; }

    /// <summary>NFTA_LOG_SNAPLEN: bytes of the packet to copy to the group.</summary>
    public uint? SnapLength { get; init; }

    /// <summary>NFTA_LOG_QTHRESHOLD: packets to queue before sending to the group.</summary>
    public ushort? QueueThreshold { get; init; }

    /// <summary>NFTA_LOG_LEVEL: syslog level for the kernel log.</summary>
    public uint? Level { get; init; }

    /// <summary>NFTA_LOG_FLAGS: NF_LOG_* options.</summary>
    public uint? Flags { get; init; }

    internal override void WriteData(NetlinkWriter writer)
    {
        if (Prefix is not null)
        {
            writer.WriteString(NFTA_LOG_PREFIX, Prefix);
        }
        if (Group is { } group)
        {
            writer.WriteUInt16BigEndian(NFTA_LOG_GROUP, group);
        }
        if (SnapLength is { } snap)
        {
            writer.WriteUInt32BigEndian(NFTA_LOG_SNAPLEN, snap);
        }
        if (QueueThreshold is { } threshold)
        {
            writer.WriteUInt16BigEndian(NFTA_LOG_QTHRESHOLD, threshold);
        }
        if (Level is { } level)
        {
            writer.WriteUInt32BigEndian(NFTA_LOG_LEVEL, level);
        }
        if (Flags is { } flags)
        {
            writer.WriteUInt32BigEndian(NFTA_LOG_FLAGS, flags);
        }
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        var log = new LogExpression();
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            log = a.Type switch
            {
                NFTA_LOG_PREFIX => log with { Prefix = a.GetString() },
                NFTA_LOG_GROUP => log with { Group = a.GetUInt16BigEndian() },
                NFTA_LOG_SNAPLEN => log with { SnapLength = a.GetUInt32BigEndian() },
                NFTA_LOG_QTHRESHOLD => log with { QueueThreshold = a.GetUInt16BigEndian() },
                NFTA_LOG_LEVEL => log with { Level = a.GetUInt32BigEndian() },
                NFTA_LOG_FLAGS => log with { Flags = a.GetUInt32BigEndian() },
                _ => null,
            };
            if (log is null)
            {
                return null;
            }
        }
        return log;
    }
}
