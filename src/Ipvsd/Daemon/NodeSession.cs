using System.Diagnostics.CodeAnalysis;
using Ipvsd.Configuration;
using Microsoft.Extensions.Logging;
using Netlink.Ipvs;
using Netlink.Netfilter.Conntrack;
using Netlink.Route;
using ServiceProxy.Kernel;
using ServiceProxy.Reconciling;
using ServiceProxy.Rules;
using ServiceProxy.VirtualIps;

namespace Ipvsd.Daemon;

/// <summary>
/// The kernel connections one ipvsd run holds (IPVS, rtnetlink, conntrack, the rules backend) and the reconciler
/// over them. Opened once, used by one thread. The IPVS socket is replaced after it fails (closed, a dump left
/// half-read, ip_vs unloaded), loading ip_vs again if need be, so a later sync recovers without a restart.
/// </summary>
internal sealed class NodeSession : IDisposable
{
    private readonly ReopeningIpvsClient _ipvs;
    private readonly RouteClient _route;
    private readonly ConntrackClient _conntrack;
    private readonly IServiceRulesBackend? _rules;

    private NodeSession(ReopeningIpvsClient ipvs, RouteClient route, ConntrackClient conntrack, IServiceRulesBackend? rules, ServiceReconciler reconciler)
    {
        _ipvs = ipvs;
        _route = route;
        _conntrack = conntrack;
        _rules = rules;
        Reconciler = reconciler;
    }

    public ServiceReconciler Reconciler { get; }

    /// <summary>The rtnetlink connection (the reconciler binds virtual IPs through it; the Kubernetes source reads the node's addresses).</summary>
    public IRouteClient Route => _route;

    /// <summary>The mark and masquerade settings of the service rules, as the configuration gives them.</summary>
    public static ServiceRuleSet RuleTemplate(DaemonConfig config) => new()
    {
        MasqueradeMark = config.MasqueradeMark,
        MasqueradeAll = config.MasqueradeAll,
        ClusterCidrs = config.ClusterCidrs,
    };

    /// <summary>
    /// Opens everything (loading ip_vs if needed) and builds the reconciler; false with one line saying what is
    /// wrong and how to fix it when the kernel cannot be used.
    /// </summary>
    public static bool TryOpen(DaemonConfig config, bool dryRun, IRealServerHealth health, ILoggerFactory loggers,
        [NotNullWhen(true)] out NodeSession? session, [NotNullWhen(false)] out string? problem)
    {
        session = null;
        if (!IpvsOpener.TryOpen(null, loadModule: !dryRun, out IpvsClient? ipvs, out problem))
        {
            return false;
        }
        try
        {
            // every IPVS command needs CAP_NET_ADMIN, reads included: ask once now rather than fail the first sync
            ipvs.GetInfo();
        }
        catch (Netlink.NetlinkException e) when (e.ErrorNumber == Netlink.Errno.EPERM)
        {
            ipvs.Dispose();
            problem = "permission denied reading IPVS: ipvsd needs CAP_NET_ADMIN (run it as root, or give its user the capability as an ambient one: AmbientCapabilities=CAP_NET_ADMIN, as deploy/systemd/ipvsd.service does)";
            return false;
        }
        if (!RouteClient.TryOpen(null, out RouteClient? route, out problem))
        {
            ipvs.Dispose();
            return false;
        }
        if (!ConntrackClient.TryOpen(null, out ConntrackClient? conntrack, out problem))
        {
            ipvs.Dispose();
            route.Dispose();
            return false;
        }
        IServiceRulesBackend? rules = config.Rules is { } kind ? ServiceRulesBackend.Create(kind) : null;
        var reopening = new ReopeningIpvsClient(() => IpvsOpener.Open(null, loadModule: !dryRun), ipvs);
        try
        {
            var options = new ReconcilerOptions
            {
                DrainTimeout = config.DrainTimeout,
                DryRun = dryRun,
                RuleTemplate = RuleTemplate(config),
                // Kubernetes decides which addresses are virtual IPs (never a node address a node port listens on)
                VirtualIpsAndRules = config.Kubernetes is null ? VirtualIpsAndRulesSource.FromServiceAddresses : VirtualIpsAndRulesSource.SetByOwner,
            };
            var reconciler = new ServiceReconciler(reopening, new OwnershipFile(config.StateDirectory), options, loggers.CreateLogger<ServiceReconciler>())
            {
                VirtualIps = new VirtualIpBinder(route, config.Interface),
                Rules = rules,
                Conntrack = conntrack,
                Health = health,
            };
            session = new NodeSession(reopening, route, conntrack, rules, reconciler);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            problem = $"cannot read the ownership record in {config.StateDirectory}: {e.Message}";
            rules?.Dispose();
            conntrack.Dispose();
            route.Dispose();
            reopening.Dispose();
            return false;
        }
    }

    public void Dispose()
    {
        _rules?.Dispose();
        _conntrack.Dispose();
        _route.Dispose();
        _ipvs.Dispose();
    }
}
