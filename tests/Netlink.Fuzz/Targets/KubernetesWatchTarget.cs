using System.Net;
using System.Text.Json;
using k8s.Models;
using ServiceProxy.Kubernetes;
using ServiceProxy.Kubernetes.Translation;
using ServiceProxy.Kubernetes.Watching;

namespace Netlink.Fuzz.Targets;

/// <summary>
/// Watch lines from the API server as ipvsd's informers take them: parsed, stripped as the informers strip them, and
/// applied to the desired state (Services, EndpointSlices and the Node in turn), whose tables and rules are then read.
/// </summary>
public sealed class KubernetesWatchTarget : IFuzzTarget
{
    private static readonly KubernetesProxyOptions Options = new()
    {
        NodeName = "node-a",
        ClusterCidrs = [IPNetwork.Parse("198.19.0.0/16")],
    };

    private static readonly LocalAddress[] Local = [new("eth0", IPAddress.Parse("198.18.100.2")), new("eth0", IPAddress.Parse("2001:db8::2"))];

    /// <inheritdoc />
    public string Name => "kubernetes-watch";

    /// <inheritdoc />
    public string Description => "Kubernetes watch lines (line n is a Service, EndpointSlice or Node event for n mod 3 = 0, 1, 2), translated into the desired table";

    /// <inheritdoc />
    public void Run(ReadOnlySpan<byte> input)
    {
        var state = new KubernetesDesiredState(Options, ProxyNode.Create(Options, null, Local, "kube-ipvs0"));
        string[] lines = TextInput.Decode(input).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            try
            {
                Apply(state, lines[i], i % 3);
            }
            catch (JsonException)
            {
                // a line that is no event of the kind: the informer logs it and lists again
            }
            catch (KubernetesApiException)
            {
                // an ERROR event: the informer lists again
            }
        }
        state.TakeChanges();
        state.ToTable();
        _ = state.Rules;
        _ = state.VirtualIps;
        _ = state.HealthCheckNodePorts;
    }

    private static void Apply(KubernetesDesiredState state, string line, int kind)
    {
        switch (kind)
        {
            case 0:
                WatchEvent<V1Service> service = WatchEventParser.Parse<V1Service>(line, "Service");
                V1Service s = ObjectTransforms.WithoutManagedFields(service.Item);
                if (service.Kind == WatchEventKind.Deleted)
                {
                    state.ServiceDeleted(s);
                }
                else if (service.Kind != WatchEventKind.Bookmark)
                {
                    state.ServiceUpserted(s);
                }
                break;
            case 1:
                WatchEvent<V1EndpointSlice> slice = WatchEventParser.Parse<V1EndpointSlice>(line, "EndpointSlice");
                V1EndpointSlice e = ObjectTransforms.WithoutManagedFields(slice.Item);
                if (slice.Kind == WatchEventKind.Deleted)
                {
                    state.EndpointSliceDeleted(e);
                }
                else if (slice.Kind != WatchEventKind.Bookmark)
                {
                    state.EndpointSliceUpserted(e);
                }
                break;
            default:
                WatchEvent<V1Node> node = WatchEventParser.Parse<V1Node>(line, "Node");
                if (node.Kind is WatchEventKind.Added or WatchEventKind.Modified)
                {
                    state.NodeChanged(ProxyNode.Create(Options, node.Item, Local, "kube-ipvs0"));
                }
                break;
        }
    }
}
