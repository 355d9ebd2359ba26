using System.Net;
using Netlink;
using Netlink.Ipvs;
using static Ipvsctl.Ipvsadm.OptionRules;

namespace Ipvsctl.Ipvsadm;

/// <summary>
/// Turns one ipvsadm command line into a <see cref="CommandEntry"/>, checking it as ipvsadm 1.31 does and failing
/// with ipvsadm's messages and statuses in ipvsadm's order: options left to right (the first bad one wins), then
/// the command's option table, then the checks between options.
/// </summary>
internal sealed class CommandLineParser
{
    private const int ServiceNone = 0, ServiceAddress = 1, ServicePort = 2;
    private const uint MaxTimeout = 86400 * 31;
    // libipvs's IPVS_SVC_PERSISTENT_TIMEOUT: six minutes (the man page's 300 s is out of date).
    private const uint DefaultPersistentTimeout = 360;

    private readonly string _program;
    private readonly NameLookup _names;
    private readonly bool _posixMeHarder;

    public CommandLineParser(string program, NameLookup names, bool posixMeHarder)
    {
        _program = program;
        _names = names;
        _posixMeHarder = posixMeHarder;
    }

    /// <summary>The "Try ... -h" exit that ipvsadm gives when a line does not start with a command.</summary>
    public IpvsadmExit TryHelp() => new(255, $"Try `{_program} -h' or '{_program} --help' for more information.");

    /// <summary>Parses the arguments after the program name.</summary>
    public CommandEntry Parse(IReadOnlyList<string> args)
    {
        var entry = new CommandEntry();
        ParseOptions(args, entry);
        CheckCommand(entry);
        return entry;
    }

    private void ParseOptions(IReadOnlyList<string> args, CommandEntry ce)
    {
        var popt = new PoptParser(args, IpvsadmOptions.Index, _posixMeHarder);
        int c = popt.Next();
        if (c < 0)
        {
            throw TryHelp();
        }
        ce.Command = c switch
        {
            'A' => IpvsadmCommandKind.AddService,
            'E' => IpvsadmCommandKind.EditService,
            'D' => IpvsadmCommandKind.DeleteService,
            'a' => IpvsadmCommandKind.AddServer,
            'e' => IpvsadmCommandKind.EditServer,
            'd' => IpvsadmCommandKind.DeleteServer,
            'C' => IpvsadmCommandKind.Flush,
            'L' or 'l' => IpvsadmCommandKind.List,
            'Z' => IpvsadmCommandKind.Zero,
            IpvsadmOptions.Set => IpvsadmCommandKind.SetTimeouts,
            'R' => IpvsadmCommandKind.Restore,
            'S' => IpvsadmCommandKind.Save,
            IpvsadmOptions.StartDaemon => IpvsadmCommandKind.StartDaemon,
            IpvsadmOptions.StopDaemon => IpvsadmCommandKind.StopDaemon,
            'h' => throw new IpvsadmExit(0, UsageText.Usage(_program), toStandardOutput: true),
            'v' => throw new IpvsadmExit(0, UsageText.Version + "\n", toStandardOutput: true),
            _ => throw TryHelp(),
        };
        if (c is IpvsadmOptions.StartDaemon or IpvsadmOptions.StopDaemon)
        {
            ce.DaemonState = popt.Value switch
            {
                "master" => SyncDaemonState.Master,
                "backup" => SyncDaemonState.Backup,
                _ => throw new IpvsadmExit(2, c == IpvsadmOptions.StartDaemon ? "illegal start-daemon parameter specified" : "illegal start_daemon specified"),
            };
        }

        string schedFlags = string.Empty;
        ulong options = 0;
        ListFormat format = ListFormat.None;
        while ((c = popt.Next()) >= 0)
        {
            string? value = popt.Value;
            switch (c)
            {
                case 't' or 'u' or IpvsadmOptions.SctpService:
                    Set(ref options, Service);
                    ce.Service.Protocol = c switch { 't' => IpvsProtocol.Tcp, 'u' => IpvsProtocol.Udp, _ => IpvsProtocol.Sctp };
                    if ((ParseService(value, ce.Service.Endpoint, ce.Service.Protocol, ce.Service) & ServiceAddress) == 0)
                    {
                        throw new IpvsadmExit(2, "illegal virtual server address[:port] specified");
                    }
                    break;
                case 'f':
                    Set(ref options, Service);
                    ce.Service.Endpoint.Family = LinuxAddressFamily.Inet;
                    ce.Service.Protocol = IpvsProtocol.Tcp;
                    ce.Service.FirewallMark = ParseFirewallMark(value!);
                    break;
                case 's':
                    Set(ref options, Scheduler);
                    ce.Service.Scheduler = Truncate(value!, 15);
                    break;
                case 'p':
                    Set(ref options, Persistent);
                    ce.Service.Flags |= ServiceFlags.Persistent;
                    ce.Service.Timeout = ParseTimeout(value, 1, MaxTimeout);
                    break;
                case 'M':
                    Set(ref options, Netmask);
                    if (ce.Service.Endpoint.Family != LinuxAddressFamily.Inet6)
                    {
                        uint? mask = ParseNetmask(value!);
                        ce.Service.Netmask = mask ?? throw new IpvsadmExit(2, "illegal virtual server persistent mask specified");
                    }
                    else
                    {
                        int prefix = CText.Atoi(value!);
                        ce.Service.Netmask = unchecked((uint)prefix);
                        if (prefix is < 1 or > 128)
                        {
                            throw new IpvsadmExit(2, "illegal ipv6 netmask specified");
                        }
                    }
                    break;
                case 'r':
                {
                    Set(ref options, Server);
                    // ipvsadm parses into a copy of the service so far: its port is the default, its protocol names ports.
                    var parsed = new EndpointSpec { Family = ce.Service.Endpoint.Family, Address = ce.Service.Endpoint.Address, Port = ce.Service.Endpoint.Port };
                    int parse = ParseService(value, parsed, ce.Service.Protocol, null);
                    ce.Destination.Endpoint.Family = parsed.Family;
                    ce.Destination.Endpoint.Address = parsed.Address;
                    ce.Destination.Endpoint.Port = parsed.Port;
                    if ((parse & ServiceAddress) == 0)
                    {
                        throw new IpvsadmExit(2, "illegal real server address[:port] specified");
                    }
                    if (parse == ServiceAddress)
                    {
                        ce.Destination.Endpoint.Port = ce.Service.Endpoint.Port;
                    }
                    break;
                }
                case 'i':
                    Set(ref options, Forward);
                    ce.Destination.Forwarding = ForwardingMethod.Tunnel;
                    break;
                case 'g':
                    Set(ref options, Forward);
                    ce.Destination.Forwarding = ForwardingMethod.DirectRouting;
                    break;
                case 'm':
                    Set(ref options, Forward);
                    ce.Destination.Forwarding = ForwardingMethod.Masquerade;
                    break;
                case 'w':
                    Set(ref options, Weight);
                    // Debian's ipvsadm 1.31 takes any weight up to INT_MAX (checked against the real binary).
                    ce.Destination.Weight = (int)CText.ToNumber(value!, 0, int.MaxValue);
                    if (ce.Destination.Weight == -1)
                    {
                        throw new IpvsadmExit(2, "illegal weight specified");
                    }
                    break;
                case 'x':
                    Set(ref options, UThreshold);
                    ce.Destination.UpperThreshold = ParseThreshold(value!, "u_threshold");
                    break;
                case 'y':
                    Set(ref options, LThreshold);
                    ce.Destination.LowerThreshold = ParseThreshold(value!, "l_threshold");
                    break;
                case 'c':
                    Set(ref options, Connection);
                    break;
                case 'n':
                    Set(ref options, Numeric);
                    format |= ListFormat.Numeric;
                    break;
                case IpvsadmOptions.McastInterface:
                    Set(ref options, Mcast);
                    ce.McastInterface = Truncate(value!, 15);
                    break;
                case IpvsadmOptions.SyncId:
                {
                    Set(ref options, SyncId);
                    long id = CText.ToNumber(value!, 0, 255);
                    ce.SyncId = id == -1 ? throw new IpvsadmExit(2, "illegal syncid specified") : (byte)id;
                    break;
                }
                case IpvsadmOptions.Timeout:
                    Set(ref options, OptionRules.Timeout);
                    break;
                case IpvsadmOptions.Daemon:
                    Set(ref options, Daemon);
                    break;
                case IpvsadmOptions.Stats:
                    Set(ref options, Stats);
                    format |= ListFormat.Stats;
                    break;
                case IpvsadmOptions.Rate:
                    Set(ref options, Rate);
                    format |= ListFormat.Rate;
                    break;
                case IpvsadmOptions.Thresholds:
                    Set(ref options, Thresholds);
                    format |= ListFormat.Thresholds;
                    break;
                case IpvsadmOptions.PersistentConn:
                    Set(ref options, PersistentConn);
                    format |= ListFormat.PersistentConn;
                    break;
                case IpvsadmOptions.NoSort:
                    Set(ref options, NoSort);
                    format |= ListFormat.NoSort;
                    break;
                case IpvsadmOptions.Sort:
                    break;
                case 'X':
                    Set(ref options, Exact);
                    format |= ListFormat.Exact;
                    break;
                case '6':
                    if (ce.Service.FirewallMark == 0)
                    {
                        throw new IpvsadmExit(2, "-6 used before -f\n");
                    }
                    ce.Service.Endpoint.Family = LinuxAddressFamily.Inet6;
                    ce.Service.Netmask = 128;
                    break;
                case 'o':
                    Set(ref options, OnePacket);
                    ce.Service.Flags |= ServiceFlags.OnePacket;
                    break;
                case IpvsadmOptions.PersistenceEngine:
                    Set(ref options, PersistenceEngine);
                    ce.Service.PersistenceEngine = Truncate(value!, 16);
                    break;
                case 'b':
                    Set(ref options, SchedFlags);
                    schedFlags = Truncate(value!, 127);
                    break;
                case IpvsadmOptions.McastGroup:
                    Set(ref options, McastGroup);
                    ce.McastGroup = ParseMcastGroup(value!);
                    break;
                case IpvsadmOptions.McastPort:
                    Set(ref options, McastPort);
                    ce.McastPort = (ushort)NumberOrFail(value!, 1, 65535, "illegal mcast-port specified");
                    break;
                case IpvsadmOptions.McastTtl:
                    Set(ref options, McastTtl);
                    ce.McastTtl = (byte)NumberOrFail(value!, 1, 255, "illegal mcast-ttl specified");
                    break;
                case IpvsadmOptions.SyncMaxLen:
                    Set(ref options, SyncMaxLen);
                    ce.SyncMaxLength = (ushort)NumberOrFail(value!, 1, 65535 - 20 - 8, "illegal sync-maxlen specified");
                    break;
                case IpvsadmOptions.TunInfo:
                    Set(ref options, TunInfo);
                    format |= ListFormat.TunnelInfo;
                    break;
                case IpvsadmOptions.TunType:
                    Set(ref options, TunType);
                    ce.Destination.TunnelType = value switch
                    {
                        "ipip" => 0,
                        "gue" => 1,
                        "gre" => 2,
                        _ => throw new IpvsadmExit(2, "illegal tunnel type specified"),
                    };
                    break;
                case IpvsadmOptions.TunPort:
                    Set(ref options, TunPort);
                    ce.Destination.TunnelPort = (ushort)NumberOrFail(value!, 1, 65535, "illegal tunnel port specified");
                    break;
                case IpvsadmOptions.TunNoCsum:
                    Set(ref options, TunNoCsum);
                    break;
                case IpvsadmOptions.TunCsum:
                    Set(ref options, TunCsum);
                    ce.Destination.TunnelFlags |= TunnelFlags.Checksum;
                    break;
                case IpvsadmOptions.TunRemCsum:
                    Set(ref options, TunRemCsum);
                    ce.Destination.TunnelFlags |= TunnelFlags.RemoteChecksum;
                    break;
                default:
                    throw new IpvsadmExit(2, $"invalid option `{popt.BadOption}'");
            }
        }
        ce.Options = options;
        ce.Format = format;

        if (c < -1)
        {
            throw new IpvsadmLineError($"{popt.BadOption}: {PoptParser.Describe(c)}");
        }

        if (ce.Command == IpvsadmCommandKind.SetTimeouts)
        {
            string? tcp = popt.NextLeftover(), tcpFin = tcp is null ? null : popt.NextLeftover(), udp = tcpFin is null ? null : popt.NextLeftover();
            if (tcp is null || tcpFin is null || udp is null)
            {
                throw new IpvsadmExit(2, "--set option requires 3 timeout values");
            }
            ce.Timeouts = new IpvsTimeouts(ParseTimeout(tcp, 0, MaxTimeout), ParseTimeout(tcpFin, 0, MaxTimeout), ParseTimeout(udp, 0, MaxTimeout));
        }

        if (popt.NextLeftover() is { } unexpected)
        {
            throw new IpvsadmExit(2, $"unexpected argument {unexpected}");
        }

        if (schedFlags.Length > 0)
        {
            ce.Service.Flags &= ~(ServiceFlags.SchedulerFlag1 | ServiceFlags.SchedulerFlag2 | ServiceFlags.SchedulerFlag3);
            ce.Service.Flags |= ParseSchedulerFlags(ce.Service.Scheduler, schedFlags);
        }
    }

    private static void CheckCommand(CommandEntry ce)
    {
        OptionRules.CheckCommand(ce.Command, ce.Options);
        ServiceSpec svc = ce.Service;
        if (ce.Command is IpvsadmCommandKind.AddService or IpvsadmCommandKind.EditService)
        {
            if (svc.FirewallMark == 0 && svc.Endpoint.Port == 0 && (svc.Flags & ServiceFlags.Persistent) == 0)
            {
                throw new IpvsadmExit(2, "Zero port specified for non-persistent service");
            }
            if ((svc.Flags & ServiceFlags.OnePacket) != 0 && svc.FirewallMark == 0 && svc.Protocol != IpvsProtocol.Udp)
            {
                throw new IpvsadmExit(2, "One-Packet Scheduling is only for UDP virtual services");
            }
            if (svc.Scheduler.Length == 0)
            {
                svc.Scheduler = "wlc";
            }
        }
        if (ce.Command == IpvsadmCommandKind.StartDaemon && ce.McastInterface.Length == 0)
        {
            ce.McastInterface = "eth0";
        }
        if (ce.Command is IpvsadmCommandKind.AddServer or IpvsadmCommandKind.EditServer)
        {
            DestinationSpec dest = ce.Destination;
            // Direct routing and tunnels cannot change the port: the packet reaches the real server as it was sent.
            if (svc.FirewallMark == 0 && dest.Forwarding is ForwardingMethod.Tunnel or ForwardingMethod.DirectRouting)
            {
                dest.Endpoint.Port = svc.Endpoint.Port;
            }
            if (dest.Endpoint.Family != svc.Endpoint.Family && dest.Forwarding != ForwardingMethod.Tunnel)
            {
                throw new IpvsadmExit(2, "Different address family is allowed only for tunneling servers");
            }
            bool tunnelOptions = Has(ce.Options, TunType) || Has(ce.Options, TunPort) || Has(ce.Options, TunNoCsum)
                || Has(ce.Options, TunCsum) || Has(ce.Options, TunRemCsum);
            if (tunnelOptions && dest.Forwarding != ForwardingMethod.Tunnel)
            {
                throw new IpvsadmExit(2, "Tunnel options conflict with forward method");
            }
            OptionRules.CheckTunnel(dest.TunnelType, ce.Options);
        }
        if (ce.Command == IpvsadmCommandKind.List)
        {
            ulong options = ce.Options;
            bool connectionOrTimeoutOrDaemon = Has(options, Connection) || Has(options, OptionRules.Timeout) || Has(options, Daemon);
            bool statsOrRateOrThresholds = Has(options, Stats) || Has(options, Rate) || Has(options, Thresholds);
            if ((connectionOrTimeoutOrDaemon && statsOrRateOrThresholds) || ((Has(options, OptionRules.Timeout) || Has(options, Daemon)) && Has(options, PersistentConn)))
            {
                throw new IpvsadmExit(2, "options conflicts in the list command");
            }
        }
    }

    /// <summary>ipvsadm's parse_service: "host[:port]", "[IPv6]:port" or a bare IPv6 address, names resolved.</summary>
    private int ParseService(string? text, EndpointSpec endpoint, IpvsProtocol protocol, ServiceSpec? service)
    {
        if (text is null || IsAllDigits(text))
        {
            return ServiceNone;
        }
        string buffer = text;
        string? portText = null;
        if (buffer[0] == '[')
        {
            buffer = buffer[1..];
            int close = buffer.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return ServiceNone;
            }
            string rest = buffer[(close + 1)..];
            buffer = buffer[..close];
            if (rest.Length == 0 || rest[0] != ':')
            {
                return ServiceNone;
            }
            portText = rest[1..];
        }
        if (CText.TryInetPton6(buffer, out byte[] v6))
        {
            endpoint.SetIPv6(v6);
            if (service is not null)
            {
                service.Netmask = 128;
            }
        }
        else
        {
            int colon = buffer.LastIndexOf(':');
            ReadOnlySpan<char> host = colon >= 0 ? buffer.AsSpan(0, colon) : buffer.AsSpan();
            portText = colon >= 0 ? buffer[(colon + 1)..] : null;
            if (CText.TryInetAton(host, out uint v4))
            {
                endpoint.SetIPv4(v4);
            }
            else if (_names.HostToIPv4(host.ToString()) is { } resolved)
            {
                endpoint.SetIPv4(resolved);
            }
            else
            {
                return ServiceNone;
            }
        }
        int result = ServiceAddress;
        if (portText is not null)
        {
            result |= ServicePort;
            long port = CText.ToNumber(portText, 0, 65535);
            if (port == -1)
            {
                port = ServiceToPort(portText, protocol);
            }
            if (port == -1)
            {
                return ServiceNone;
            }
            endpoint.Port = (ushort)port;
        }
        return result;
    }

    /// <summary>ipvsadm's str_is_digit (true for the empty string).</summary>
    private static bool IsAllDigits(string text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    private int ServiceToPort(string name, IpvsProtocol protocol) => protocol switch
    {
        IpvsProtocol.Tcp => _names.ServiceToPort(name, "tcp"),
        IpvsProtocol.Udp => _names.ServiceToPort(name, "udp"),
        IpvsProtocol.Sctp => _names.ServiceToPort(name, "sctp"),
        _ => -1,
    };

    private uint? ParseNetmask(string text) =>
        CText.TryInetAton(text, out uint mask) ? mask : _names.HostToIPv4(text);

    private static uint ParseFirewallMark(string text)
    {
        if (!CText.TryStrtol(text, out long mark) || mark <= 0 || mark > uint.MaxValue)
        {
            throw new IpvsadmExit(2, $"invalid fwmark value `{text}' specified");
        }
        return (uint)mark;
    }

    private static uint ParseTimeout(string? text, uint min, uint max)
    {
        if (text is null)
        {
            return DefaultPersistentTimeout;
        }
        long value = CText.ToNumber(text, min, max);
        return value == -1 ? throw new IpvsadmExit(2, $"invalid timeout value `{text}' specified") : (uint)value;
    }

    private static uint ParseThreshold(string text, string name)
    {
        long value = CText.ToNumber(text, 0, int.MaxValue);
        return value == -1 ? throw new IpvsadmExit(2, $"illegal {name} specified") : (uint)value;
    }

    private static long NumberOrFail(string text, long min, long max, string message)
    {
        long value = CText.ToNumber(text, min, max);
        return value == -1 ? throw new IpvsadmExit(2, message) : value;
    }

    private static IPAddress ParseMcastGroup(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (!CText.TryInetPton6(text, out byte[] v6) || v6[0] != 0xFF)
            {
                throw new IpvsadmExit(2, $"invalid IPv6 mcast-group `{text}'");
            }
            return new IPAddress(v6);
        }
        if (!CText.TryInetPton4(text, out uint v4) || (v4 >> 28) != 0xE)
        {
            throw new IpvsadmExit(2, $"invalid IPv4 mcast-group `{text}'");
        }
        return Ipv4Number.ToAddress(v4);
    }

    /// <summary>ipvsadm's parse_sched_flags: comma-separated, sh-* only with sh and mh-* only with mh.</summary>
    private static ServiceFlags ParseSchedulerFlags(string scheduler, string text)
    {
        scheduler = scheduler.Length > 0 ? scheduler : "wlc";
        ServiceFlags flags = ServiceFlags.None;
        foreach (string flag in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            (ServiceFlags bit, string? needs) = flag switch
            {
                "flag-1" => (ServiceFlags.SchedulerFlag1, null),
                "flag-2" => (ServiceFlags.SchedulerFlag2, null),
                "flag-3" => (ServiceFlags.SchedulerFlag3, null),
                "sh-fallback" => (ServiceFlags.SourceHashFallback, "sh"),
                "sh-port" => (ServiceFlags.SourceHashPort, "sh"),
                "mh-fallback" => (ServiceFlags.MaglevHashFallback, "mh"),
                "mh-port" => (ServiceFlags.MaglevHashPort, "mh"),
                _ => throw new IpvsadmExit(2, $"invalid scheduler flag `{flag}'"),
            };
            flags |= bit;
            if (needs is not null && scheduler != needs)
            {
                throw new IpvsadmExit(2, $"incompatible scheduler flag `{flag}'");
            }
        }
        return flags;
    }

    private static string Truncate(string text, int length) => text.Length > length ? text[..length] : text;
}
