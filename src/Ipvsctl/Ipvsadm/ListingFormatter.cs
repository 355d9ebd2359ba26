using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Netlink.Ipvs;

namespace Ipvsctl.Ipvsadm;

/// <summary>
/// Writes ipvsadm's listings byte for byte: the table title for each format, a service's line and its real servers'
/// lines (-L in every variant, and the rules of -S), with ipvsadm's column widths, truncations and number forms.
/// </summary>
internal sealed class ListingFormatter
{
    private readonly AddressText _addresses;

    public ListingFormatter(AddressText addresses) => _addresses = addresses;

    public static string Header(IpvsInfo info) =>
        CText.Invariant($"IP Virtual Server version {(info.Version >> 16) & 0xFF}.{(info.Version >> 8) & 0xFF}.{info.Version & 0xFF} (size={(int)info.ConnectionTableSize})\n");

    public static string Title(ListFormat format)
    {
        if ((format & ListFormat.Stats) != 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{"Prot LocalAddress:Port",-33} {"Conns",8} {"InPkts",8} {"OutPkts",8} {"InBytes",8} {"OutBytes",8}\n  -> RemoteAddress:Port\n");
        }
        if ((format & ListFormat.Rate) != 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{"Prot LocalAddress:Port",-33} {"CPS",8} {"InPPS",8} {"OutPPS",8} {"InBPS",8} {"OutBPS",8}\n  -> RemoteAddress:Port\n");
        }
        if ((format & ListFormat.Thresholds) != 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{"Prot LocalAddress:Port",-33} {"Uthreshold",-10} {"Lthreshold",-10} {"ActiveConn",-10} {"InActConn",-10}\n  -> RemoteAddress:Port\n");
        }
        if ((format & ListFormat.PersistentConn) != 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{"Prot LocalAddress:Port",-33} {"Weight",-9} {"PersistConn",-11} {"ActiveConn",-10} {"InActConn",-10}\n  -> RemoteAddress:Port\n");
        }
        if ((format & ListFormat.TunnelInfo) != 0)
        {
            return "Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n";
        }
        if ((format & ListFormat.Rule) == 0)
        {
            return "Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
        }
        return string.Empty;
    }

    /// <summary>A service's line and its real servers' lines (already in the order to print) into <paramref name="output"/>.</summary>
    public void WriteService(StringBuilder output, ObservedVirtualService observed, IReadOnlyList<ObservedRealServer> servers, ListFormat format)
    {
        VirtualService service = observed.Settings;
        VirtualServiceKey key = service.Key;
        bool rule = (format & ListFormat.Rule) != 0;
        bool v6 = key.Family == AddressFamily.InterNetworkV6;
        string name;
        if (key.IsFirewallMark)
        {
            int mark = unchecked((int)key.FirewallMark);
            name = rule
                ? (v6 ? CText.Invariant($"-f {mark} -6") : CText.Invariant($"-f {mark}"))
                : (v6 ? CText.Invariant($"FWM  {mark} IPv6") : CText.Invariant($"FWM  {mark}"));
        }
        else
        {
            string address = _addresses.Format(key.Address!, key.Port, key.Protocol, format);
            if (rule)
            {
                name = $"{ServiceOption(key.Protocol)} {address}";
            }
            else
            {
                name = $"{ProtocolName(key.Protocol),-4} {address}";
                if (!v6 && name.Length > 33)
                {
                    name = name[..33];
                }
            }
        }

        // The flags as the kernel reported them: ipvsadm prints "persistent" from IP_VS_SVC_F_PERSISTENT, not from the timeout.
        ServiceFlags flags = observed.ReportedFlags;
        bool persistent = (flags & ServiceFlags.Persistent) != 0;
        bool hasSchedulerFlags = (flags & (ServiceFlags.SchedulerFlag1 | ServiceFlags.SchedulerFlag2 | ServiceFlags.SchedulerFlag3)) != 0;
        IpvsStatistics stats = observed.Statistics ?? default;
        if (rule)
        {
            output.Append("-A ").Append(name).Append(" -s ").Append(service.Scheduler);
            if (persistent)
            {
                output.Append(CultureInfo.InvariantCulture, $" -p {service.PersistenceTimeout}");
                AppendNetmask(output, service, " -M ");
            }
            if (!string.IsNullOrEmpty(service.PersistenceEngine))
            {
                output.Append(" --pe ").Append(service.PersistenceEngine);
            }
            if ((flags & ServiceFlags.OnePacket) != 0)
            {
                output.Append(" -o");
            }
            if (hasSchedulerFlags)
            {
                output.Append(" -b ").Append(SchedulerFlags(service));
            }
        }
        else if ((format & ListFormat.Stats) != 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"{name,-33}");
            AppendLargeNumbers(output, format, stats.Connections, stats.IncomingPackets, stats.OutgoingPackets, stats.IncomingBytes, stats.OutgoingBytes);
        }
        else if ((format & ListFormat.Rate) != 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"{name,-33}");
            AppendLargeNumbers(output, format, stats.ConnectionRate, stats.IncomingPacketRate, stats.OutgoingPacketRate, stats.IncomingByteRate, stats.OutgoingByteRate);
        }
        else
        {
            output.Append(name).Append(' ').Append(service.Scheduler);
            if (hasSchedulerFlags)
            {
                output.Append(" (").Append(SchedulerFlags(service)).Append(')');
            }
            if (persistent)
            {
                output.Append(CultureInfo.InvariantCulture, $" persistent {service.PersistenceTimeout}");
                AppendNetmask(output, service, " mask ");
                if (!string.IsNullOrEmpty(service.PersistenceEngine))
                {
                    output.Append(" pe ").Append(service.PersistenceEngine);
                }
            }
            if ((flags & ServiceFlags.OnePacket) != 0)
            {
                output.Append(" ops");
            }
        }
        output.Append('\n');

        foreach (ObservedRealServer server in servers)
        {
            WriteServer(output, name, key, server, format);
        }
    }

    private void WriteServer(StringBuilder output, string serviceName, VirtualServiceKey key, ObservedRealServer observed, ListFormat format)
    {
        RealServer server = observed.Settings;
        string dname = _addresses.Format(server.Address, server.Port, key.Protocol, format);
        if ((format & ListFormat.Rule) == 0 && server.Address.AddressFamily != AddressFamily.InterNetworkV6 && dname.Length > 28)
        {
            dname = dname[..28];
        }
        IpvsStatistics stats = observed.Statistics ?? default;
        if ((format & ListFormat.Rule) != 0)
        {
            output.Append("-a ").Append(serviceName).Append(" -r ").Append(dname).Append(' ').Append(CText.OrNull(ForwardSwitch(server.Forwarding)))
                .Append(CultureInfo.InvariantCulture, $" -w {server.Weight}");
            if (server.Forwarding == ForwardingMethod.Tunnel)
            {
                AppendTunnelRule(output, server);
            }
            output.Append('\n');
        }
        else if ((format & ListFormat.Stats) != 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"  -> {dname,-28}");
            AppendLargeNumbers(output, format, stats.Connections, stats.IncomingPackets, stats.OutgoingPackets, stats.IncomingBytes, stats.OutgoingBytes);
            output.Append('\n');
        }
        else if ((format & ListFormat.Rate) != 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"  -> {dname,-28} {stats.ConnectionRate,8} {stats.IncomingPacketRate,8} {stats.OutgoingPacketRate,8}");
            AppendLargeNumbers(output, format, stats.IncomingByteRate, stats.OutgoingByteRate);
            output.Append('\n');
        }
        else if ((format & ListFormat.Thresholds) != 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"  -> {dname,-28} {server.UpperThreshold,-10} {server.LowerThreshold,-10} {observed.ActiveConnections,-10} {observed.InactiveConnections,-10}\n");
        }
        else if ((format & ListFormat.PersistentConn) != 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"  -> {dname,-28} {unchecked((uint)server.Weight),-9} {observed.PersistentConnections,-11} {observed.ActiveConnections,-10} {observed.InactiveConnections,-10}\n");
        }
        else if ((format & ListFormat.TunnelInfo) != 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"  -> {dname,-28} {CText.OrNull(ForwardName(server.Forwarding)),-7} {TunnelInfo(server) ?? "n/a",-13} {server.Weight,-6} {observed.ActiveConnections,-10} {observed.InactiveConnections,-10}\n");
        }
        else
        {
            output.Append(CultureInfo.InvariantCulture, $"  -> {dname,-28} {CText.OrNull(ForwardName(server.Forwarding)),-7} {server.Weight,-6} {observed.ActiveConnections,-10} {observed.InactiveConnections,-10}\n");
        }
    }

    private static void AppendTunnelRule(StringBuilder output, RealServer server)
    {
        string flags = TunnelFlagOption(server.TunnelFlags);
        switch (server.TunnelType)
        {
            case TunnelType.Gre:
                output.Append(" --tun-type gre ").Append(flags);
                break;
            case TunnelType.Gue:
                output.Append(CultureInfo.InvariantCulture, $" --tun-type gue --tun-port {server.TunnelPort} ").Append(flags);
                break;
            case TunnelType.IpIp:
                output.Append(" --tun-type ipip");
                break;
            default:
                break;
        }
    }

    private static string TunnelFlagOption(TunnelFlags flags) => (int)flags switch
    {
        0 => "--tun-nocsum",
        1 => "--tun-csum",
        2 => "--tun-remcsum",
        _ => "(null)",
    };

    private static string? TunnelInfo(RealServer server)
    {
        if (server.Forwarding != ForwardingMethod.Tunnel)
        {
            return null;
        }
        string flags = (int)server.TunnelFlags switch { 0 => "-c", 1 => "+c", 2 => "r+c", _ => "(null)" };
        string? info = server.TunnelType switch
        {
            TunnelType.IpIp => "ipip",
            TunnelType.Gue => CText.Invariant($"gue:{server.TunnelPort}:{flags}"),
            TunnelType.Gre => $"gre:{flags}",
            _ => null,
        };
        return info is { Length: > 15 } ? info[..15] : info;
    }

    private static void AppendNetmask(StringBuilder output, VirtualService service, string label)
    {
        // Null is the single-address default (255.255.255.255 or /128), which ipvsadm does not print.
        if (service.Netmask is PersistenceNetmask mask)
        {
            output.Append(label).Append(mask.ToString());
        }
    }

    /// <summary>ipvsadm's print_sched_flags: named for sh and mh, flag-N for any other scheduler.</summary>
    private static string SchedulerFlags(VirtualService service)
    {
        var names = new List<string>(3);
        ServiceFlags flags = service.Flags;
        if (service.Scheduler == "sh")
        {
            AddIf(names, flags, ServiceFlags.SourceHashFallback, "sh-fallback");
            AddIf(names, flags, ServiceFlags.SourceHashPort, "sh-port");
        }
        else if (service.Scheduler == "mh")
        {
            AddIf(names, flags, ServiceFlags.MaglevHashFallback, "mh-fallback");
            AddIf(names, flags, ServiceFlags.MaglevHashPort, "mh-port");
        }
        else
        {
            AddIf(names, flags, ServiceFlags.SchedulerFlag1, "flag-1");
            AddIf(names, flags, ServiceFlags.SchedulerFlag2, "flag-2");
            AddIf(names, flags, ServiceFlags.SchedulerFlag3, "flag-3");
        }
        return string.Join(',', names);
    }

    private static void AddIf(List<string> names, ServiceFlags flags, ServiceFlags bit, string name)
    {
        if ((flags & bit) != 0)
        {
            names.Add(name);
        }
    }

    private static void AppendLargeNumbers(StringBuilder output, ListFormat format, params ReadOnlySpan<ulong> numbers)
    {
        foreach (ulong number in numbers)
        {
            AppendLargeNumber(output, number, format);
        }
    }

    /// <summary>ipvsadm's print_largenum: nine columns, K/M/G/T beyond 100 million unless --exact.</summary>
    internal static void AppendLargeNumber(StringBuilder output, ulong i, ListFormat format)
    {
        if ((format & ListFormat.Exact) != 0)
        {
            string digits = i.ToString(CultureInfo.InvariantCulture);
            int width = digits.Length <= 8 ? 9 : digits.Length + 1;
            output.Append(' ', width - digits.Length).Append(digits);
            return;
        }
        if (i < 100_000_000UL)
        {
            output.Append(CultureInfo.InvariantCulture, $"{i,9}");
        }
        else if (i < 1_000_000_000UL)
        {
            output.Append(CultureInfo.InvariantCulture, $"{i / 1000,8}K");
        }
        else if (i < 100_000_000_000UL)
        {
            output.Append(CultureInfo.InvariantCulture, $"{i / 1_000_000,8}M");
        }
        else if (i < 100_000_000_000_000UL)
        {
            output.Append(CultureInfo.InvariantCulture, $"{i / 1_000_000_000,8}G");
        }
        else
        {
            output.Append(CultureInfo.InvariantCulture, $"{i / 1_000_000_000_000,8}T");
        }
    }

    private static string ServiceOption(IpvsProtocol protocol) => protocol switch
    {
        IpvsProtocol.Tcp => "-t",
        IpvsProtocol.Udp => "-u",
        IpvsProtocol.Sctp => "--sctp-service",
        _ => "--xxx-service",
    };

    private static string ProtocolName(IpvsProtocol protocol) => protocol switch
    {
        IpvsProtocol.Tcp => "TCP",
        IpvsProtocol.Udp => "UDP",
        IpvsProtocol.Sctp => "SCTP",
        _ => "?",
    };

    private static string? ForwardName(ForwardingMethod method) => method switch
    {
        ForwardingMethod.Masquerade => "Masq",
        ForwardingMethod.Local => "Local",
        ForwardingMethod.Tunnel => "Tunnel",
        ForwardingMethod.DirectRouting => "Route",
        _ => null,
    };

    private static string? ForwardSwitch(ForwardingMethod method) => method switch
    {
        ForwardingMethod.Masquerade => "-m",
        ForwardingMethod.Tunnel => "-i",
        ForwardingMethod.Local or ForwardingMethod.DirectRouting => "-g",
        _ => null,
    };
}
