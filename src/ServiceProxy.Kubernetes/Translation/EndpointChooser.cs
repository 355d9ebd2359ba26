namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// Chooses, for one Service port and address family, the endpoints traffic goes to, as kube-proxy's
/// CategorizeEndpoints does (pkg/proxy/topology.go):
/// <list type="bullet">
/// <item>Cluster endpoints: the ready ones; if none is ready anywhere, the serving and terminating ones (so a rollout
/// that has only terminating pods left still answers). Topology hints narrow the ready ones, but only when every ready
/// endpoint carries hints and at least one hint names this node (hints.forNodes) or, failing that, this node's zone
/// (hints.forZones); otherwise hints are ignored, so a half-hinted slice never blackholes traffic.</item>
/// <item>Local endpoints: those on this node that are ready; if none is, those on this node that are serving and
/// terminating. Hints do not apply.</item>
/// </list>
/// Cluster endpoints are computed only when the port uses them (internal policy Cluster, or reachable from outside),
/// local ones only when it uses them (a Local policy that applies).
/// </summary>
internal static class EndpointChooser
{
    /// <summary>The cluster and local endpoints of <paramref name="endpoints"/> for <paramref name="node"/>.</summary>
    public static (IReadOnlyList<ServiceEndpoint> Cluster, IReadOnlyList<ServiceEndpoint> Local) Choose(
        IReadOnlyList<ServiceEndpoint> endpoints, bool usesCluster, bool usesLocal, ProxyNode node)
    {
        if (endpoints.Count == 0)
        {
            return ([], []);
        }
        IReadOnlyList<ServiceEndpoint> cluster = [];
        if (usesCluster)
        {
            Func<ServiceEndpoint, bool> inTopology = TopologyFilter(endpoints, node);
            cluster = [.. endpoints.Where(e => e.Ready && inTopology(e))];
            if (cluster.Count == 0)
            {
                cluster = [.. endpoints.Where(e => e.IsServingTerminating)];
            }
        }
        IReadOnlyList<ServiceEndpoint> local = [];
        if (usesLocal)
        {
            local = [.. endpoints.Where(e => e.IsOn(node.Name) && e.Ready)];
            if (local.Count == 0)
            {
                local = [.. endpoints.Where(e => e.IsOn(node.Name) && e.IsServingTerminating)];
            }
        }
        return (cluster, local);
    }

    /// <summary>Which ready endpoints topology hints leave to this node: all of them unless the hints are complete and name this node or its zone.</summary>
    private static Func<ServiceEndpoint, bool> TopologyFilter(IReadOnlyList<ServiceEndpoint> endpoints, ProxyNode node)
    {
        bool anyReady = false, allNodeHints = true, nodeHinted = false, allZoneHints = true, zoneHinted = false;
        foreach (ServiceEndpoint endpoint in endpoints)
        {
            if (!endpoint.Ready)
            {
                continue;
            }
            anyReady = true;
            if (endpoint.NodeHints.Count == 0)
            {
                allNodeHints = false;
            }
            else if (node.Name.Length > 0 && endpoint.NodeHints.Contains(node.Name))
            {
                nodeHinted = true;
            }
            if (endpoint.ZoneHints.Count == 0)
            {
                allZoneHints = false;
            }
            else if (node.Zone is not null && endpoint.ZoneHints.Contains(node.Zone))
            {
                zoneHinted = true;
            }
        }
        if (anyReady && allNodeHints && nodeHinted)
        {
            return e => e.NodeHints.Contains(node.Name);
        }
        if (anyReady && allZoneHints && zoneHinted)
        {
            return e => e.ZoneHints.Contains(node.Zone!);
        }
        return _ => true;
    }
}
