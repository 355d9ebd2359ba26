using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Netlink.Ipvs;
using ServiceProxy.Health;
using ServiceProxy.Planning;

namespace ServiceProxy.Model;

/// <summary>
/// Checks a whole <see cref="ModelDocument"/> and turns it into the <see cref="DesiredServiceTable"/> it describes.
/// Every problem is collected (nothing stops at the first) and reported as one line naming the item, what is wrong
/// and how to fix it; nothing is sent to the kernel unless there are none.
/// </summary>
internal sealed partial class ModelValidator
{
    /// <summary>ipvsadm's limit for -p (MAX_TIMEOUT, 31 days).</summary>
    private const int MaxPersistence = 86400 * 31;

    /// <summary>Timeouts are kept in jiffies in an int: this is safe for every HZ up to 1000.</summary>
    private const int MaxTimeout = int.MaxValue / 1000;

    private readonly List<ModelDiagnostic> _errors = [];
    private readonly Dictionary<VirtualServiceKey, int> _lines = [];
    private readonly string _source;
    private int? _defaultPort;
    private int? _defaultWeight;
    private string? _defaultScheduler;
    private ForwardingMethod? _defaultForward;

    private ModelValidator(string source) => _source = source;

    /// <summary>
    /// The table <paramref name="document"/> describes, or null with one <see cref="ModelDiagnosticKind.Invalid"/>
    /// diagnostic per problem.
    /// </summary>
    public static DesiredServiceTable? Validate(ModelDocument document, string source, out IReadOnlyList<ModelDiagnostic> diagnostics) =>
        Validate(document, source, out diagnostics, out _);

    /// <summary>Like the other overload, and says on which line each service of the table was written.</summary>
    public static DesiredServiceTable? Validate(ModelDocument document, string source, out IReadOnlyList<ModelDiagnostic> diagnostics, out IReadOnlyDictionary<VirtualServiceKey, int> lines)
    {
        ArgumentNullException.ThrowIfNull(document);
        var validator = new ModelValidator(source);
        DesiredServiceTable table = validator.Check(document);
        diagnostics = validator._errors;
        lines = validator._lines;
        return validator._errors.Count > 0 ? null : table;
    }

    private void Error(Scalar at, string message) => Error(at.Line, at.Column, message);

    private void Error(int line, int column, string message) =>
        _errors.Add(new ModelDiagnostic(ModelDiagnosticKind.Invalid, _source, line, column, message));

    private DesiredServiceTable Check(ModelDocument document)
    {
        _defaultPort = Integer(document.Defaults.Port, "defaults.port", 1, 65535, "use a port from 1 to 65535");
        _defaultWeight = Weight(document.Defaults.Weight, "defaults.weight");
        _defaultScheduler = Scheduler(document.Defaults.Scheduler, "defaults.sched");
        _defaultForward = Forward(document.Defaults.Forward, "defaults.forward");

        var services = new List<DesiredService>();
        foreach (ServiceDocument service in document.Services)
        {
            if (CheckService(service) is not DesiredService entry)
            {
                continue;
            }
            if (_lines.TryGetValue(entry.Service.Key, out int firstLine))
            {
                Error(service.Line, 0, $"service {AddressSyntax.Format(entry.Service.Key)} (line {service.Line}) is listed twice (first on line {firstLine}): merge the two into one");
                continue;
            }
            _lines.Add(entry.Service.Key, service.Line);
            services.Add(entry);
        }
        IpvsTimeouts? timeouts = document.Timeouts is null ? null : CheckTimeouts(document.Timeouts);
        return _errors.Count > 0 ? DesiredServiceTable.Empty : new DesiredServiceTable(services, timeouts);
    }

    private IpvsTimeouts? CheckTimeouts(TimeoutsDocument timeouts)
    {
        string fix = $"use seconds from 1 to {MaxTimeout}";
        int? tcp = Integer(timeouts.Tcp, "timeouts.tcp", 1, MaxTimeout, fix);
        int? fin = Integer(timeouts.TcpFin, "timeouts.tcpfin", 1, MaxTimeout, fix);
        int? udp = Integer(timeouts.Udp, "timeouts.udp", 1, MaxTimeout, fix);
        return tcp is null && fin is null && udp is null ? null : new IpvsTimeouts((uint)(tcp ?? 0), (uint)(fin ?? 0), (uint)(udp ?? 0));
    }

    private DesiredService? CheckService(ServiceDocument document)
    {
        string unnamed = $"service {document.Number} (line {document.Line})";
        if (document.Address is null || document.Address.Text.Length == 0)
        {
            Error(document.Line, 0, $"{unnamed} has no address: add address: tcp://IP:PORT, udp://..., sctp://... or fwmark:N");
            return null;
        }
        string item = $"service {document.Address.Text}";
        string at = $"{item} (line {document.Address.Line})";
        AddressFamily? family = Family(document.Family, item);
        VirtualServiceKey? key = null;
        if (!AddressSyntax.TryParseService(document.Address.Text, out AddressSyntax.ServiceAddress address, out string problem))
        {
            // Keep checking the rest of the service (with a stand-in key) so one run reports every problem.
            Error(document.Address!, $"{at}: {problem}: write it like tcp://198.18.0.1:80, tcp://[2001:db8::1]:80 or fwmark:7");
        }
        else if (address.FirewallMark != 0)
        {
            key = VirtualServiceKey.ForFirewallMark(address.FirewallMark, family ?? AddressFamily.InterNetwork);
        }
        else
        {
            if (family is not null && family != address.Address!.AddressFamily)
            {
                Error(document.Address!, $"{at}: family {document.Family!.Text} does not match the address: drop family (it is only needed for fwmark services) or fix the address");
            }
            key = VirtualServiceKey.ForAddress(address.Protocol, address.Address!, (ushort)(address.Port ?? _defaultPort ?? 0));
        }
        bool valid = key is not null;
        key ??= VirtualServiceKey.ForFirewallMark(1, family ?? AddressFamily.InterNetwork);

        uint persistence = Persistence(document.Persistent, item);
        string scheduler = Scheduler(document.Scheduler, item + " sched") ?? _defaultScheduler ?? ModelNames.DefaultScheduler;
        if (!key.IsFirewallMark && key.Port == 0 && persistence == 0)
        {
            Error(document.Address!, $"{at} has no port: add :PORT to the address, set defaults.port, or add persistent: SECONDS for an any-port service");
        }
        var service = new VirtualService(key)
        {
            Scheduler = scheduler,
            PersistenceTimeout = persistence,
            Netmask = Netmask(document.Netmask, key.Family, item),
            Flags = ServiceFlagsOf(document.Flags, scheduler, item),
            PersistenceEngine = PersistenceEngine(document.PersistenceEngine, item),
        };

        var servers = new List<RealServer>();
        foreach (DestinationDocument destination in document.Destinations)
        {
            if (CheckDestination(destination, service, document.Address.Text) is not RealServer server)
            {
                continue;
            }
            if (servers.Any(s => s.SameEndpoint(server)))
            {
                Error(destination.Line, 0, $"destination {AddressSyntax.Format(server)} of service {document.Address.Text} (line {destination.Line}) is listed twice: remove one");
                continue;
            }
            servers.Add(server);
        }
        HealthCheck? healthCheck = CheckHealth(document.HealthCheck, item);
        CheckHealthPort(healthCheck, document.HealthCheck, servers, item);
        return valid ? new DesiredService(service, servers) { HealthCheck = healthCheck } : null;
    }

    private RealServer? CheckDestination(DestinationDocument document, VirtualService service, string serviceName)
    {
        if (document.Address is null || document.Address.Text.Length == 0)
        {
            Error(document.Line, 0, $"destination {document.Number} of service {serviceName} (line {document.Line}) has no address: add address: IP[:PORT]");
            return null;
        }
        string item = $"destination {document.Address.Text} of service {serviceName}";
        string at = $"{item} (line {document.Address.Line})";
        if (!AddressSyntax.TryParseHostPort(document.Address.Text, out IPAddress? ip, out int? port, out string problem))
        {
            Error(document.Address!, $"{at}: {problem}: write it like 198.19.0.1:8080 or [2001:db8::2]:8080");
            return null;
        }
        // The port defaults to the service's (as ipvsadm's -r without one), then to defaults.port (fwmark services have none).
        int effectivePort = port ?? (service.Key.Port != 0 ? service.Key.Port : _defaultPort ?? 0);
        ForwardingMethod forward = Forward(document.Forward, item + " forward") ?? _defaultForward ?? ForwardingMethod.DirectRouting;
        if (ip!.AddressFamily != service.Key.Family && forward != ForwardingMethod.Tunnel)
        {
            Error(document.Address!, $"{at}: an {FamilyName(ip.AddressFamily)} real server behind an {FamilyName(service.Key.Family)} service needs forward: tunnel: use forward: tunnel or an {FamilyName(service.Key.Family)} address");
        }
        int upper = Integer(document.UpperThreshold, item + " upper-threshold", 0, int.MaxValue, "use 0 (no limit) or a connection count") ?? 0;
        int lower = Integer(document.LowerThreshold, item + " lower-threshold", 0, int.MaxValue, "use 0 (not set) or a connection count") ?? 0;
        if (upper > 0 && lower > upper)
        {
            Error(document.Address!, $"{at}: lower-threshold {lower} is above upper-threshold {upper}: set lower-threshold below upper-threshold");
        }
        (TunnelType type, ushort tunnelPort, TunnelFlags checksum) = Tunnel(document, forward, item, at);
        return new RealServer(ip, (ushort)effectivePort)
        {
            Weight = Weight(document.Weight, item + " weight") ?? _defaultWeight ?? 0,
            Forwarding = forward,
            UpperThreshold = (uint)upper,
            LowerThreshold = (uint)lower,
            TunnelType = type,
            TunnelPort = tunnelPort,
            TunnelFlags = checksum,
        };
    }

    private (TunnelType, ushort, TunnelFlags) Tunnel(DestinationDocument document, ForwardingMethod forward, string item, string at)
    {
        if (forward != ForwardingMethod.Tunnel)
        {
            foreach (Scalar? setting in (Scalar?[])[document.TunnelType, document.TunnelPort, document.TunnelChecksum])
            {
                if (setting is not null)
                {
                    Error(setting, $"{item} (line {setting.Line}): tunnel settings need forward: tunnel: set forward: tunnel or drop tunnel-type, tunnel-port and tunnel-checksum");
                    break;
                }
            }
            return default;
        }
        TunnelType type = Named(document.TunnelType, item + " tunnel-type", ModelNames.TunnelTypes) ?? TunnelType.IpIp;
        int? port = Integer(document.TunnelPort, item + " tunnel-port", 1, 65535, "use a UDP port from 1 to 65535");
        if (type == TunnelType.Gue && document.TunnelPort is null)
        {
            Error(document.Address!, $"{at}: a gue tunnel needs tunnel-port: add tunnel-port: PORT (the real server's GUE port)");
        }
        if (type != TunnelType.Gue && document.TunnelPort is not null)
        {
            Error(document.Address!, $"{at}: tunnel-port is only for gue tunnels: drop it or use tunnel-type: gue");
        }
        TunnelFlags checksum = Named(document.TunnelChecksum, item + " tunnel-checksum", ModelNames.TunnelChecksums) ?? TunnelFlags.None;
        if (document.TunnelChecksum is not null && type == TunnelType.IpIp)
        {
            Error(document.Address!, $"{at}: tunnel-checksum is only for gue and gre tunnels: drop it or use tunnel-type: gue or gre");
        }
        else if (checksum == TunnelFlags.RemoteChecksum && type != TunnelType.Gue)
        {
            Error(document.Address!, $"{at}: tunnel-checksum remcsum is only for gue tunnels: use csum or nocsum, or tunnel-type: gue");
        }
        return (type, (ushort)(port ?? 0), checksum);
    }

    private static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
}
