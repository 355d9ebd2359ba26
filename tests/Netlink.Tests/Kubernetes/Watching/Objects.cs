using k8s.Models;
using ServiceProxy.Kubernetes.Watching;

namespace Netlink.Tests.Kubernetes.Watching;

/// <summary>API objects for the tests, with the fields real ones have (only 198.18.0.0/15 addresses).</summary>
internal static class Objects
{
    public static V1Service Service(string name, string ns = "default", IDictionary<string, string>? labels = null, string clusterIp = "198.18.0.10") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels is null ? null : new Dictionary<string, string>(labels) },
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            ClusterIP = clusterIp,
            ClusterIPs = [clusterIp],
            IpFamilies = ["IPv4"],
            IpFamilyPolicy = "SingleStack",
            Selector = new Dictionary<string, string> { ["app"] = name },
            Ports = [new V1ServicePort { Name = "http", Protocol = "TCP", Port = 80, TargetPort = 8080 }],
            SessionAffinity = "None",
        },
    };

    public static V1EndpointSlice Slice(string name, string serviceName, string ns = "default", IDictionary<string, string>? labels = null, params string[] addresses)
    {
        var allLabels = new Dictionary<string, string>(labels ?? new Dictionary<string, string>());
        if (serviceName.Length > 0)
        {
            allLabels[ServiceProxySelectors.ServiceNameLabel] = serviceName;
        }
        allLabels["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io";
        return new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = allLabels },
            AddressType = "IPv4",
            Endpoints = [.. addresses.Select(a => new V1Endpoint
            {
                Addresses = [a],
                Conditions = new V1EndpointConditions { Ready = true, Serving = true, Terminating = false },
                NodeName = "node-1",
            })],
            Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
        };
    }

    public static V1Node Node(string name, string address) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } },
        Status = new V1NodeStatus
        {
            Addresses = [new V1NodeAddress { Type = "InternalIP", Address = address }, new V1NodeAddress { Type = "Hostname", Address = name }],
        },
    };

    public static Dictionary<string, string> Labels(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);
}
