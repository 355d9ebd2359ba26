namespace Ipvsctl.Ipvsadm;

/// <summary>
/// ipvsadm's tables of which options each command and each tunnel type requires, allows or forbids, and the
/// messages it gives when a command line breaks them.
/// </summary>
internal static class OptionRules
{
    // Option bit positions (ipvsadm's OPTC_*).
    public const int Numeric = 0, Connection = 1, Service = 2, Scheduler = 3, Persistent = 4, Netmask = 5, Server = 6,
        Forward = 7, Weight = 8, UThreshold = 9, LThreshold = 10, Mcast = 11, Timeout = 12, Daemon = 13, Stats = 14,
        Rate = 15, Thresholds = 16, PersistentConn = 17, NoSort = 18, SyncId = 19, Exact = 20, OnePacket = 21,
        PersistenceEngine = 22, SchedFlags = 23, McastGroup = 24, McastPort = 25, McastTtl = 26, SyncMaxLen = 27,
        TunInfo = 28, TunType = 29, TunPort = 30, TunNoCsum = 31, TunCsum = 32, TunRemCsum = 33;

    private static readonly string[] OptionNames =
    [
        "numeric", "connection", "service-address", "scheduler", "persistent", "netmask", "real-server",
        "forwarding-method", "weight", "u-threshold", "l-threshold", "mcast-interface", "timeout", "daemon", "stats",
        "rate", "thresholds", "persistent-conn", "nosort", "syncid", "exact", "ops", "pe", "sched-flags", "mcast-group",
        "mcast-port", "mcast-ttl", "sync-maxlen", "tun-info", "tun-type", "tun-port", "tun-nocsum", "tun-csum",
        "tun-remcsum",
    ];

    private static readonly string[] CommandNames =
    [
        "add-service", "edit-service", "delete-service", "flush", "list", "add-server", "delete-server", "edit-server",
        "set", "start-daemon", "stop-daemon", "restore", "save", "zero",
    ];

    // '+' compulsory, 'x' illegal, '1' at most one of these, ' ' optional; one row per command, one column per option.
    private static readonly string[] CommandsVersusOptions =
    [
        /*ADD*/     "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx",
        /*EDIT*/    "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx",
        /*DEL*/     "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        /*FLUSH*/   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        /*LIST*/    " 11xxxxxxxxx11       xxxxxxx xxxxx",
        /*ADDSRV*/  "xx+xxx+    xxxxxxxxxxxxxxxxxx     ",
        /*DELSRV*/  "xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxx",
        /*EDITSRV*/ "xx+xxx+    xxxxxxxxxxxxxxxxxx     ",
        /*TIMEOUT*/ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        /*STARTD*/  "xxxxxxxxxxx xxxxxxx xxxx    xxxxxx",
        /*STOPD*/   "xxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxx",
        /*RESTORE*/ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        /*SAVE*/    " xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        /*ZERO*/    "xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ];

    private static readonly string[] TunnelNames = ["ipip", "gue", "gre"];
    private static readonly int[] TunnelOptions = [TunPort, TunNoCsum, TunCsum, TunRemCsum];

    // Columns: tun-port, tun-nocsum, tun-csum, tun-remcsum.
    private static readonly string[] TunnelTypesVersusOptions = ["xxxx", "+111", "x11x"];

    public static string OptionName(int option) => OptionNames[option];

    public static string TunnelName(int type) => TunnelNames[type];

    /// <summary>Marks <paramref name="option"/> given; a second time is an error, as in ipvsadm's set_option.</summary>
    public static void Set(ref ulong options, int option)
    {
        ulong bit = 1UL << option;
        if ((options & bit) != 0)
        {
            throw new IpvsadmExit(2, $"multiple '{OptionNames[option]}' options specified");
        }
        options |= bit;
    }

    public static bool Has(ulong options, int option) => (options & (1UL << option)) != 0;

    /// <summary>ipvsadm's generic_opt_check: the first rule broken, scanning the options in table order.</summary>
    public static void CheckCommand(IpvsadmCommandKind command, ulong options)
    {
        int row = (int)command - 1;
        string rules = CommandsVersusOptions[row];
        int last = 0, count = 0;
        for (int j = 0; j < OptionNames.Length; j++)
        {
            char rule = rules[j];
            if (!Has(options, j))
            {
                if (rule == '+')
                {
                    throw new IpvsadmExit(2, $"You need to supply the '{OptionNames[j]}' option for the '{CommandNames[row]}' command");
                }
                continue;
            }
            if (rule == 'x')
            {
                throw new IpvsadmExit(2, $"Illegal '{OptionNames[j]}' option with the '{CommandNames[row]}' command");
            }
            if (rule == '1')
            {
                if (++count == 1)
                {
                    last = j;
                    continue;
                }
                throw new IpvsadmExit(2, $"The option '{OptionNames[j]}' conflicts with the '{OptionNames[last]}' option in the '{CommandNames[row]}' command");
            }
        }
    }

    /// <summary>ipvsadm's tunnel_opt_check: which tunnel options the tunnel type needs or refuses.</summary>
    public static void CheckTunnel(int tunnelType, ulong options)
    {
        string rules = TunnelTypesVersusOptions[tunnelType];
        int last = 0, count = 0;
        for (int j = 0; j < TunnelOptions.Length; j++)
        {
            int k = TunnelOptions[j];
            char rule = rules[j];
            if (!Has(options, k))
            {
                if (rule == '+')
                {
                    throw new IpvsadmExit(2, $"You need to supply the '{OptionNames[k]}' option for the '{TunnelNames[tunnelType]}' tunnel type");
                }
                continue;
            }
            if (rule == 'x')
            {
                throw new IpvsadmExit(2, $"Illegal '{OptionNames[k]}' option with the '{TunnelNames[tunnelType]}' tunnel type");
            }
            if (rule == '1')
            {
                if (++count == 1)
                {
                    last = k;
                    continue;
                }
                throw new IpvsadmExit(2, $"The option '{OptionNames[k]}' conflicts with the '{OptionNames[last]}' option in the '{TunnelNames[tunnelType]}' tunnel type");
            }
        }
    }
}
