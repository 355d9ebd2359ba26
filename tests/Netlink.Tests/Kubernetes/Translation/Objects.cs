using System.Net;
using k8s;
using k8s.Models;
using Netlink.Ipvs;
using ServiceProxy.Kubernetes.Translation;
using ServiceProxy.Planning;

namespace Netlink.Tests.Kubernetes.Translation;

/// <summary>
/// API objects for the translation tests, written as the API server serves them (v1 Service, discovery.k8s.io/v1
/// EndpointSlice; field names from the Kubernetes API reference) and read with the client's own serializer, plus a
/// rendering of the results that reads like ipvsadm -Ln.
/// </summary>
internal static class Objects
{
    public const string Node = "node-a";
    public const string Zone = "zone-a";

    public static readonly KubernetesProxyOptions Options = new() { NodeName = Node };

    /// <summary>node-a in zone-a with one IPv4 and one IPv6 address, node ports on both.</summary>
    public static readonly ProxyNode NodeA = new(Node, Zone,
        [IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")],
        [IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")]);

    public static V1Service Service(string json) => KubernetesJson.Deserialize<V1Service>(json);

    public static V1EndpointSlice Slice(string json) => KubernetesJson.Deserialize<V1EndpointSlice>(json);

    /// <summary>A Service named <paramref name="name"/> with <paramref name="spec"/> (the JSON members of spec) and <paramref name="status"/>.</summary>
    public static V1Service Service(string name, string spec, string status = """{"loadBalancer":{}}""", string labels = "{}",
        string created = "2026-03-01T10:00:00Z", string ns = "default") =>
        Service($$"""
            {
              "apiVersion": "v1",
              "kind": "Service",
              "metadata": {
                "name": "{{name}}",
                "namespace": "{{ns}}",
                "uid": "6f0b1c2a-4d5e-4f60-8a7b-{{(uint)name.GetHashCode(StringComparison.Ordinal):x12}}",
                "resourceVersion": "4711",
                "creationTimestamp": "{{created}}",
                "labels": {{labels}}
              },
              "spec": { {{spec}} },
              "status": {{status}}
            }
            """);

    /// <summary>The spec members of a single-stack IPv4 ClusterIP Service on 10.96.0.10 with one TCP port "http" 80 -> 8080, plus <paramref name="more"/>.</summary>
    public static string ClusterIpSpec(string more = "", string ports = """[{"name":"http","protocol":"TCP","port":80,"targetPort":8080}]""") =>
        $$"""
        "type": "ClusterIP",
        "clusterIP": "10.96.0.10",
        "clusterIPs": ["10.96.0.10"],
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": {{ports}},
        "selector": {"app": "web"},
        "sessionAffinity": "None",
        "internalTrafficPolicy": "Cluster"{{(more.Length > 0 ? "," + more : "")}}
        """;

    /// <summary>An EndpointSlice of <paramref name="service"/> with <paramref name="endpoints"/> and <paramref name="ports"/> (JSON arrays).</summary>
    public static V1EndpointSlice Slice(string name, string service, string endpoints,
        string ports = """[{"name":"http","protocol":"TCP","port":8080}]""", string addressType = "IPv4", string ns = "default") =>
        Slice($$"""
            {
              "apiVersion": "discovery.k8s.io/v1",
              "kind": "EndpointSlice",
              "metadata": {
                "name": "{{name}}",
                "generateName": "{{service}}-",
                "namespace": "{{ns}}",
                "resourceVersion": "4712",
                "labels": {
                  "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
                  "kubernetes.io/service-name": "{{service}}"
                },
                "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": "{{service}}", "uid": "6f0b1c2a-4d5e-4f60-8a7b-000000000001", "controller": true, "blockOwnerDeletion": true}]
              },
              "addressType": "{{addressType}}",
              "endpoints": {{endpoints}},
              "ports": {{ports}}
            }
            """);

    /// <summary>A ready endpoint on <paramref name="node"/> as the EndpointSlice controller writes it.</summary>
    public static string Ready(string address, string node = "node-b", string zone = "zone-b") =>
        Endpoint(address, """{"ready":true,"serving":true,"terminating":false}""", node, zone);

    /// <summary>An endpoint with the given conditions object (or none at all when null).</summary>
    public static string Endpoint(string address, string? conditions, string node = "node-b", string zone = "zone-b", string? hints = null) =>
        "{" + $"\"addresses\":[\"{address}\"]"
        + (conditions is null ? "" : $",\"conditions\":{conditions}")
        + $",\"nodeName\":\"{node}\",\"zone\":\"{zone}\""
        + (hints is null ? "" : $",\"hints\":{hints}")
        + $",\"targetRef\":{{\"kind\":\"Pod\",\"namespace\":\"default\",\"name\":\"web-{address.Replace(':', '-').Replace('.', '-')}\",\"uid\":\"0b7c1e9e-5f4a-4c1d-9e1a-5d6f7a8b9c0d\"}}"
        + "}";

    public static ServiceTranslation Translate(V1Service service, params V1EndpointSlice[] slices) =>
        ServiceTranslator.Translate(service, slices, NodeA, Options);

    public static ServiceTranslation Translate(V1Service service, ProxyNode node, KubernetesProxyOptions options, params V1EndpointSlice[] slices) =>
        ServiceTranslator.Translate(service, slices, node, options);

    /// <summary>
    /// The virtual servers as ipvsadm -Ln lists them: "TCP 10.96.0.10:80 rr" (then " persistent 10800" and
    /// " flags 0x10" where set), each real server on its own line as "  -> 10.244.1.5:8080", with its forwarding and
    /// weight only when they are not masquerading and 1.
    /// </summary>
    public static string Render(IEnumerable<DesiredService> services) =>
        string.Join("\n", services.Select(Render));

    public static string Render(DesiredService desired)
    {
        VirtualService s = desired.Service;
        string header = $"{s.Key} {s.Scheduler}"
            + (s.PersistenceTimeout > 0 ? $" persistent {s.PersistenceTimeout}" : "")
            + (s.Flags != ServiceFlags.None ? $" flags 0x{(uint)s.Flags:x}" : "");
        return header + string.Concat(desired.RealServers.Select(r =>
            $"\n  -> {r.Endpoint}" + (r.Forwarding == ForwardingMethod.Masquerade && r.Weight == 1 ? "" : $" {r.Forwarding} {r.Weight}")));
    }

    public static string Render(IEnumerable<IPAddress> addresses) => string.Join(" ", addresses);

    public static string Render(ServiceRules rules) =>
        string.Join("\n", rules.VirtualIps.Select(v => v.ToString())
            .Concat(rules.NodePorts.Select(p => p.ToString()))
            .Concat(rules.SourceRanges.Select(r => "range " + r)));

    public static string Lines(string text) => text.ReplaceLineEndings("\n").Trim();
}
