using System.Net;
using System.Text.Json;
using k8s;
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
                Follow(WatchEventParser.Parse<V1Service>(line, "Service"), state.ServiceUpserted, state.ServiceDeleted);
                break;
            case 1:
                Follow(WatchEventParser.Parse<V1EndpointSlice>(line, "EndpointSlice"), state.EndpointSliceUpserted, state.EndpointSliceDeleted);
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

    /// <summary>An event as the informer hands it on: stripped, then upserted or deleted; bookmarks carry nothing.</summary>
    private static void Follow<T>(WatchEvent<T> watched, Action<T> upserted, Action<T> deleted)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        T item = ObjectTransforms.WithoutManagedFields(watched.Item);
        switch (watched.Kind)
        {
            case WatchEventKind.Deleted: deleted(item); break;
            case WatchEventKind.Bookmark: break;
            default: upserted(item); break;
        }
    }
}
