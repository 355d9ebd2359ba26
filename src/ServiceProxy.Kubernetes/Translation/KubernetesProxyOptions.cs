using System.Net;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// What a node's configuration decides about translating Services into IPVS, as kube-proxy's flags did
/// (--ipvs-scheduler, --hostname-override, --nodeport-addresses, --masquerade-all, --cluster-cidr) plus which Services
/// this proxy serves.
/// </summary>
public sealed record KubernetesProxyOptions
{
    /// <summary>kube-proxy's default scheduler, round robin.</summary>
    public const string DefaultScheduler = "rr";

    /// <summary>The label that gives a Service to one named proxy (service.kubernetes.io/service-proxy-name).</summary>
    public const string ServiceProxyNameLabel = "service.kubernetes.io/service-proxy-name";

    /// <summary>The label the EndpointSlice controller puts on slices of headless Services (service.kubernetes.io/headless).</summary>
    public const string HeadlessLabel = "service.kubernetes.io/headless";

    /// <summary>
    /// The IPVS scheduler of every virtual server (IPVS_SVC_ATTR_SCHED_NAME): rr by default. With mh (Maglev hashing) the
    /// virtual servers also get the flag that makes mh hash the source port too (IP_VS_SVC_F_SCHED_MH_PORT), as
    /// kube-proxy sets it, so that one client's connections spread over the real servers.
    /// </summary>
    public string Scheduler { get; init; } = DefaultScheduler;

    /// <summary>
    /// This node's name (the Node object's metadata.name): endpoints whose nodeName is this one are local, which
    /// traffic policy Local and the health check node port count on. Required.
    /// </summary>
    public string NodeName { get; init; } = "";

    /// <summary>
    /// Where node ports listen (--nodeport-addresses): the node's addresses inside these networks. Empty means every
    /// node address (see <see cref="NodePortAddresses.Select"/>).
    /// </summary>
    public IReadOnlyList<IPNetwork> NodePortCidrs { get; init; } = [];

    /// <summary>Masquerade all traffic to cluster IPs, whatever its source (--masquerade-all).</summary>
    public bool MasqueradeAll { get; init; }

    /// <summary>The pod networks, at most one per address family: traffic to a cluster IP from outside them is masqueraded (--cluster-cidr).</summary>
    public IReadOnlyList<IPNetwork> ClusterCidrs { get; init; } = [];

    /// <summary>
    /// The name this proxy answers to: only Services labelled <see cref="ServiceProxyNameLabel"/> with this value are
    /// served. Null (or empty) when the proxy replaces kube-proxy: then the Services served are those without that
    /// label and without <see cref="HeadlessLabel"/>, kube-proxy's own choice.
    /// </summary>
    public string? ServiceProxyName { get; init; }

    /// <summary>
    /// The label selector that lists and watches exactly the Services and EndpointSlices this proxy serves, in the API's
    /// syntax (?labelSelector=...): "service.kubernetes.io/service-proxy-name=NAME", or kube-proxy's
    /// "!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless".
    /// </summary>
    public string LabelSelector => string.IsNullOrEmpty(ServiceProxyName)
        ? $"!{ServiceProxyNameLabel},!{HeadlessLabel}"
        : $"{ServiceProxyNameLabel}={ServiceProxyName}";

    /// <summary>
    /// Whether an object with these labels (a Service's metadata.labels) is this proxy's, by the same rule as
    /// <see cref="LabelSelector"/>: a watch with that selector reports an object that stops matching as deleted, and
    /// this lets a caller without the selector come to the same answer.
    /// </summary>
    public bool Selects(IDictionary<string, string>? labels)
    {
        if (string.IsNullOrEmpty(ServiceProxyName))
        {
            return labels is null || (!labels.ContainsKey(ServiceProxyNameLabel) && !labels.ContainsKey(HeadlessLabel));
        }
        return labels is not null && labels.TryGetValue(ServiceProxyNameLabel, out string? name) && name == ServiceProxyName;
    }
}
