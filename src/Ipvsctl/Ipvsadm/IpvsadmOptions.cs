namespace Ipvsctl.Ipvsadm;

/// <summary>ipvsadm's option table: the same names, value kinds and codes (a short name doubles as its code).</summary>
internal static class IpvsadmOptions
{
    public const int Set = 128;
    public const int StartDaemon = 129;
    public const int StopDaemon = 130;
    public const int McastInterface = 131;
    public const int Timeout = 132;
    public const int Daemon = 133;
    public const int Stats = 134;
    public const int Rate = 135;
    public const int Thresholds = 136;
    public const int PersistentConn = 137;
    public const int Sort = 138;
    public const int NoSort = 139;
    public const int PersistenceEngine = 140;
    public const int SctpService = 141;
    public const int McastGroup = 142;
    public const int McastPort = 143;
    public const int McastTtl = 144;
    public const int SyncMaxLen = 145;
    public const int TunInfo = 146;
    public const int TunType = 147;
    public const int TunPort = 148;
    public const int TunNoCsum = 149;
    public const int TunCsum = 150;
    public const int TunRemCsum = 151;
    public const int SyncId = 'I';

    public static IReadOnlyList<PoptOption> Table { get; } =
    [
        new("add-service", 'A', PoptArgument.None, 'A'),
        new("edit-service", 'E', PoptArgument.None, 'E'),
        new("delete-service", 'D', PoptArgument.None, 'D'),
        new("clear", 'C', PoptArgument.None, 'C'),
        new("list", 'L', PoptArgument.None, 'L'),
        new("list", 'l', PoptArgument.None, 'l'),
        new("zero", 'Z', PoptArgument.None, 'Z'),
        new("add-server", 'a', PoptArgument.None, 'a'),
        new("edit-server", 'e', PoptArgument.None, 'e'),
        new("delete-server", 'd', PoptArgument.None, 'd'),
        new("set", '\0', PoptArgument.None, Set),
        new("help", 'h', PoptArgument.None, 'h'),
        new("version", 'v', PoptArgument.None, 'v'),
        new("restore", 'R', PoptArgument.None, 'R'),
        new("save", 'S', PoptArgument.None, 'S'),
        new("start-daemon", '\0', PoptArgument.Required, StartDaemon),
        new("stop-daemon", '\0', PoptArgument.Required, StopDaemon),
        new("tcp-service", 't', PoptArgument.Required, 't'),
        new("udp-service", 'u', PoptArgument.Required, 'u'),
        new("sctp-service", '\0', PoptArgument.Required, SctpService),
        new("fwmark-service", 'f', PoptArgument.Required, 'f'),
        new("scheduler", 's', PoptArgument.Required, 's'),
        new("persistent", 'p', PoptArgument.Optional, 'p'),
        new("netmask", 'M', PoptArgument.Required, 'M'),
        new("real-server", 'r', PoptArgument.Required, 'r'),
        new("masquerading", 'm', PoptArgument.None, 'm'),
        new("ipip", 'i', PoptArgument.None, 'i'),
        new("gatewaying", 'g', PoptArgument.None, 'g'),
        new("weight", 'w', PoptArgument.Required, 'w'),
        new("u-threshold", 'x', PoptArgument.Required, 'x'),
        new("l-threshold", 'y', PoptArgument.Required, 'y'),
        new("numeric", 'n', PoptArgument.None, 'n'),
        new("connection", 'c', PoptArgument.None, 'c'),
        new("mcast-interface", '\0', PoptArgument.Required, McastInterface),
        new("syncid", '\0', PoptArgument.Required, SyncId),
        new("timeout", '\0', PoptArgument.None, Timeout),
        new("daemon", '\0', PoptArgument.None, Daemon),
        new("stats", '\0', PoptArgument.None, Stats),
        new("rate", '\0', PoptArgument.None, Rate),
        new("thresholds", '\0', PoptArgument.None, Thresholds),
        new("persistent-conn", '\0', PoptArgument.None, PersistentConn),
        new("nosort", '\0', PoptArgument.None, NoSort),
        new("sort", '\0', PoptArgument.None, Sort),
        new("exact", 'X', PoptArgument.None, 'X'),
        new("ipv6", '6', PoptArgument.None, '6'),
        new("ops", 'o', PoptArgument.None, 'o'),
        new("pe", '\0', PoptArgument.Required, PersistenceEngine),
        new("sched-flags", 'b', PoptArgument.Required, 'b'),
        new("mcast-group", '\0', PoptArgument.Required, McastGroup),
        new("mcast-port", '\0', PoptArgument.Required, McastPort),
        new("mcast-ttl", '\0', PoptArgument.Required, McastTtl),
        new("sync-maxlen", '\0', PoptArgument.Required, SyncMaxLen),
        new("tun-info", '\0', PoptArgument.None, TunInfo),
        new("tun-type", '\0', PoptArgument.Required, TunType),
        new("tun-port", '\0', PoptArgument.Required, TunPort),
        new("tun-nocsum", '\0', PoptArgument.None, TunNoCsum),
        new("tun-csum", '\0', PoptArgument.None, TunCsum),
        new("tun-remcsum", '\0', PoptArgument.None, TunRemCsum),
    ];

    /// <summary>The table indexed for the scanner (declared after <see cref="Table"/>, which it reads).</summary>
    public static PoptOptionIndex Index { get; } = new(Table);
}
