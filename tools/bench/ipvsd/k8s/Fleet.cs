using System.Net;
using k8s.Models;

namespace K8sBench;

/// <summary>
/// The cluster the bench serves: N ClusterIP Services (TCP port 80, cluster IPs from 198.18.0.0/16) with one
/// EndpointSlice each of ten ready endpoints (198.19.0.0/16, target port 8080, spread over ten nodes), and this node,
/// as the API server sends them. Built as objects: 20,000 JSON documents would only cost the loading.
/// </summary>
internal static class Fleet
{
    public const string Namespace = "default";
    public const string NodeName = "node-0";
    public const int EndpointsPerService = 10;
    public const int ServicePort = 80;
    public const int TargetPort = 8080;
    public static readonly IPAddress NodeAddress = IPAddress.Parse("192.0.2.10");

    private static readonly DateTime Created = new(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc);

    public static string ServiceName(int i) => $"svc-{i:D5}";

    public static string SliceName(int i) => $"svc-{i:D5}-x7k2q";

    /// <summary>198.18.0.1 for the first Service, then on: 10,000 fit in the /16.</summary>
    public static IPAddress ClusterIp(int i) => Host(198, 18, i + 1);

    public static V1Service Service(int i)
    {
        string clusterIp = ClusterIp(i).ToString();
        return new V1Service
        {
            Metadata = new V1ObjectMeta
            {
                Name = ServiceName(i),
                NamespaceProperty = Namespace,
                CreationTimestamp = Created,
                Labels = new Dictionary<string, string> { ["app"] = ServiceName(i) },
            },
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                ClusterIP = clusterIp,
                ClusterIPs = [clusterIp],
                IpFamilies = ["IPv4"],
                IpFamilyPolicy = "SingleStack",
                InternalTrafficPolicy = "Cluster",
                SessionAffinity = "None",
                Selector = new Dictionary<string, string> { ["app"] = ServiceName(i) },
                Ports = [new V1ServicePort { Name = "http", Protocol = "TCP", Port = ServicePort, TargetPort = TargetPort }],
            },
            Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus() },
        };
    }

    /// <summary>The slice of Service <paramref name="i"/> with <paramref name="addresses"/> as its endpoints, in order (endpoint k on node-k).</summary>
    public static V1EndpointSlice Slice(int i, IReadOnlyList<IPAddress> addresses) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = SliceName(i),
            NamespaceProperty = Namespace,
            GenerateName = ServiceName(i) + "-",
            CreationTimestamp = Created,
            Labels = new Dictionary<string, string>
            {
                ["kubernetes.io/service-name"] = ServiceName(i),
                ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io",
            },
        },
        AddressType = "IPv4",
        Endpoints = [.. addresses.Select((address, k) => new V1Endpoint
        {
            Addresses = [address.ToString()],
            Conditions = new V1EndpointConditions { Ready = true, Serving = true, Terminating = false },
            NodeName = $"node-{k % 10}",
            TargetRef = new V1ObjectReference { Kind = "Pod", NamespaceProperty = Namespace, Name = $"{ServiceName(i)}-{address}" },
        })],
        Ports = [new Discoveryv1EndpointPort { Name = "http", Protocol = "TCP", Port = TargetPort }],
    };

    /// <summary>
    /// Service <paramref name="i"/>'s first endpoints: ten consecutive hosts of 198.19.0.0/16 (100,000 endpoints do not
    /// fit in it, so beyond 6,553 Services the addresses repeat, as pods backing several Services do).
    /// </summary>
    public static IPAddress[] Endpoints(int i) =>
        [.. Enumerable.Range(0, EndpointsPerService).Select(k => Host(198, 19, ((i * EndpointsPerService) + k) % 65_534 + 1))];

    public static V1Node Node() => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = NodeName,
            Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = NodeName, ["kubernetes.io/os"] = "linux" },
        },
        Spec = new V1NodeSpec { PodCIDR = "10.244.0.0/24", PodCIDRs = ["10.244.0.0/24"] },
        Status = new V1NodeStatus
        {
            Addresses = [new V1NodeAddress { Type = "InternalIP", Address = NodeAddress.ToString() }, new V1NodeAddress { Type = "Hostname", Address = NodeName }],
        },
    };

    /// <summary>The <paramref name="n"/>th host (1 to 65,534) of the /16 that starts with <paramref name="a"/>.<paramref name="b"/>.</summary>
    public static IPAddress Host(byte a, byte b, int n) => new([a, b, (byte)(n >> 8), (byte)n]);
}
