using k8s;
using k8s.Models;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>
/// The seed's Kubernetes objects as the API server sends them (the JSON shapes of the API reference, labels as the
/// EndpointSlice controller copies them from the Service): a ClusterIP Service over three pods, a NodePort one, a
/// headless one, an ExternalName one and one with ClientIP affinity, all for the proxy named ipvsd; and one Service
/// without that label, which ipvsd must leave alone.
/// </summary>
internal static class KubernetesSeed
{
    public const string NodeName = "node-1";
    public const string ProxyLabel = """{"service.kubernetes.io/service-proxy-name":"ipvsd"}""";
    public const string WebVip = "198.18.97.97";
    public const string NodePortVip = "198.18.97.98";
    public const string StickyVip = "198.18.97.99";
    public const string UnservedVip = "198.18.97.100";
    public const int NodePort = 30080;
    public const string LoadBalancerVip = "198.18.97.101";
    public const string LoadBalancerIngress = "198.18.98.1";
    public const int LoadBalancerNodePort = 30081;
    public const int HealthCheckNodePort = 30256;

    public static V1Node Node() => KubernetesJson.Deserialize<V1Node>($$"""
        {
          "apiVersion": "v1",
          "kind": "Node",
          "metadata": {
            "name": "{{NodeName}}",
            "uid": "0b6a2f4e-1c3d-4e5f-8a9b-000000000001",
            "labels": {"kubernetes.io/hostname": "{{NodeName}}", "topology.kubernetes.io/zone": "zone-a"}
          },
          "spec": {"podCIDR": "198.19.0.0/16", "podCIDRs": ["198.19.0.0/16"]},
          "status": {"addresses": [{"type": "InternalIP", "address": "198.18.1.1"}, {"type": "Hostname", "address": "{{NodeName}}"}]}
        }
        """);

    public static V1Service Service(string name, string spec, string labels = ProxyLabel, string status = """{"loadBalancer": { } }""") => KubernetesJson.Deserialize<V1Service>($$"""
        {
          "apiVersion": "v1",
          "kind": "Service",
          "metadata": {
            "name": "{{name}}",
            "namespace": "default",
            "uid": "7c1d2e3f-4a5b-4c6d-8e7f-{{(uint)name.GetHashCode(StringComparison.Ordinal):x12}}",
            "creationTimestamp": "2026-11-30T10:00:00Z",
            "labels": {{labels}}
          },
          "spec": { {{spec}} },
          "status": {{status}}
        }
        """);

    /// <summary>The spec of a ClusterIP Service on <paramref name="vip"/> port 80, plus <paramref name="more"/> members.</summary>
    public static string ClusterIp(string vip, string more = "", string type = "ClusterIP", string nodePort = "") => $$"""
        "type": "{{type}}",
        "clusterIP": "{{vip}}",
        "clusterIPs": ["{{vip}}"],
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 80{{nodePort}}}],
        "selector": {"app": "web"},
        "sessionAffinity": "None",
        "internalTrafficPolicy": "Cluster"{{(more.Length > 0 ? "," + more : "")}}
        """;

    /// <summary>An endpoint of a pod on another node.</summary>
    public static string Ready(string address) => Endpoint(address, ready: true, terminating: false);

    public static string Endpoint(string address, bool ready, bool terminating) => $$"""
        {"addresses": ["{{address}}"], "conditions": {"ready": {{Bool(ready)}}, "serving": true, "terminating": {{Bool(terminating)}}},
         "nodeName": "node-2", "zone": "zone-a", "targetRef": {"kind": "Pod", "namespace": "default", "name": "web-{{address.Replace('.', '-')}}" } }
        """;

    public static V1EndpointSlice Slice(string service, IEnumerable<string> endpoints, string labels = ProxyLabel) =>
        KubernetesJson.Deserialize<V1EndpointSlice>($$"""
        {
          "apiVersion": "discovery.k8s.io/v1",
          "kind": "EndpointSlice",
          "metadata": {
            "name": "{{service}}-x7k2p",
            "namespace": "default",
            "labels": {{labels.TrimEnd('}')}}{{(labels.Length > 2 ? "," : "")}}"kubernetes.io/service-name": "{{service}}", "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"},
            "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": "{{service}}", "uid": "7c1d2e3f-4a5b-4c6d-8e7f-{{(uint)service.GetHashCode(StringComparison.Ordinal):x12}}", "controller": true, "blockOwnerDeletion": true}]
          },
          "addressType": "IPv4",
          "endpoints": [{{string.Join(",", endpoints)}}],
          "ports": [{"name": "http", "protocol": "TCP", "port": 80}]
        }
        """);

    /// <summary>Every seed object but the Node.</summary>
    public static IEnumerable<IKubernetesObject<V1ObjectMeta>> Objects(IReadOnlyList<string> pods)
    {
        string[] three = [.. pods.Take(3).Select(Ready)];
        yield return Service("web", ClusterIp(WebVip));
        yield return Slice("web", three);
        yield return Service("np", ClusterIp(NodePortVip, "\"externalTrafficPolicy\": \"Cluster\"", "NodePort", $", \"nodePort\": {NodePort}"));
        yield return Slice("np", three);
        yield return Service("sticky", ClusterIp(StickyVip, "\"sessionAffinityConfig\": {\"clientIP\": {\"timeoutSeconds\": 300}}").Replace("\"sessionAffinity\": \"None\"", "\"sessionAffinity\": \"ClientIP\"", StringComparison.Ordinal));
        yield return Slice("sticky", three);
        yield return Service("db", """
            "type": "ClusterIP",
            "clusterIP": "None",
            "clusterIPs": ["None"],
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 80}],
            "selector": {"app": "db"},
            "sessionAffinity": "None"
            """);
        yield return Slice("db", three, """{"service.kubernetes.io/service-proxy-name":"ipvsd","service.kubernetes.io/headless":""}""");
        yield return Service("ext", """
            "type": "ExternalName",
            "externalName": "www.example.org",
            "sessionAffinity": "None"
            """);
        // externalTrafficPolicy Local with every endpoint on another node: the node answers its health check node port
        // with 503, so a cloud load balancer sends it nothing
        yield return Service("lb", ClusterIp(LoadBalancerVip, $$"""
            "externalTrafficPolicy": "Local", "healthCheckNodePort": {{HealthCheckNodePort}}, "loadBalancerSourceRanges": ["198.18.1.0/24"]
            """, "LoadBalancer", $", \"nodePort\": {LoadBalancerNodePort}"),
            status: $$"""{"loadBalancer": {"ingress": [{"ip": "{{LoadBalancerIngress}}", "ipMode": "VIP"} ] } }""");
        yield return Slice("lb", three);
        yield return Service("other", ClusterIp(UnservedVip), labels: "{}");
        yield return Slice("other", three, labels: "{}");
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
