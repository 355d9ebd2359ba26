namespace Ipvsctl.Ipvsadm;

/// <summary>ipvsadm's listing format bits (FMT_*).</summary>
[Flags]
internal enum ListFormat
{
    None = 0,
    Numeric = 0x0001,
    Rule = 0x0002,
    Stats = 0x0004,
    Rate = 0x0008,
    Thresholds = 0x0010,
    PersistentConn = 0x0020,
    NoSort = 0x0040,
    Exact = 0x0080,
    TunnelInfo = 0x0100,
}
