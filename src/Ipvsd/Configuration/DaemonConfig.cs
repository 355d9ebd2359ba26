using System.Net;
using ServiceProxy.Rules;

namespace Ipvsd.Configuration;

/// <summary>ipvsd's configuration (ipvsd.yaml), every value checked; defaults are kube-proxy's where it has one.</summary>
internal sealed record DaemonConfig
{
    /// <summary>Where the configuration was read from.</summary>
    public required string Path { get; init; }

    /// <summary>A model file, or a directory of them (*.yaml, *.yml), as ipvsctl apply takes them; null when <see cref="Kubernetes"/> is the source.</summary>
    public string? Services { get; init; }

    /// <summary>The Kubernetes API as the source of services; null when <see cref="Services"/> is.</summary>
    public KubernetesConfig? Kubernetes { get; init; }

    /// <summary>The dummy interface holding the virtual IPs.</summary>
    public string Interface { get; init; } = "ipvsd0";

    /// <summary>Which firewall holds the service rules; null for none.</summary>
    public ServiceRulesBackendKind? Rules { get; init; } = ServiceRulesBackendKind.Nftables;

    /// <summary>Masquerade all traffic to the services, not only traffic from outside the cluster CIDRs.</summary>
    public bool MasqueradeAll { get; init; }

    /// <summary>Traffic from these is not masqueraded (one per address family).</summary>
    public IReadOnlyList<IPNetwork> ClusterCidrs { get; init; } = [];

    /// <summary>The firewall mark that asks for masquerading.</summary>
    public uint MasqueradeMark { get; init; } = ServiceRuleSet.DefaultMasqueradeMark;

    /// <summary>How often the whole kernel table is read to repair drift.</summary>
    public TimeSpan SyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The shortest time between two syncs, however often changes come.</summary>
    public TimeSpan MinSyncPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a removed TCP real server may keep its connections.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Where /metrics listens; null for nowhere.</summary>
    public IPEndPoint? MetricsAddress { get; init; } = new(IPAddress.Loopback, 10249);

    /// <summary>Where /healthz listens; null for nowhere.</summary>
    public IPEndPoint? HealthAddress { get; init; } = new(IPAddress.Loopback, 10256);

    /// <summary>Where the ownership record lives.</summary>
    public string StateDirectory { get; init; } = "/var/lib/ipvsd";
}
