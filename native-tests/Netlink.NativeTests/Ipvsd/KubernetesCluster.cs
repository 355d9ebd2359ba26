using System.Net;
using k8s.Models;
using KubernetesTestServer;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>
/// A cluster for ipvsd's Kubernetes mode (the VM): the pod network with four pods (three serve the seed's Services,
/// the fourth is added later), and the test API server, in this process, serving the seed's objects on a link of its
/// own to the node (198.18.200.1 here, 198.18.200.2 there), as an API server on another host would; ipvsd reaches it
/// through a kubeconfig. Tests change objects through <see cref="Server"/>'s stores, and watches see the change.
/// </summary>
public sealed class KubernetesCluster : IDisposable
{
    private const string HostEnd = "k8sapi0";
    private static readonly IPAddress HostAddress = IPAddress.Parse("198.18.200.1");

    public KubernetesCluster()
    {
        Net = new PodNetwork(4);
        try
        {
            TestNamespace.RunIpBatch([$"link add {HostEnd} type veth peer name api netns {Net.Node.Name}", $"addr add {HostAddress}/30 dev {HostEnd}", $"link set {HostEnd} up"]);
            Net.Node.IpBatch("addr add 198.18.200.2/30 dev api", "link set api up");
            Server = TestApiServer.StartAsync(new IPEndPoint(HostAddress, 0)).GetAwaiter().GetResult();
            Server.Nodes.Apply(KubernetesSeed.Node());
            foreach (var item in KubernetesSeed.Objects(PodAddresses))
            {
                _ = item switch
                {
                    V1Service service => (object)Server.Services.Apply(service),
                    V1EndpointSlice slice => Server.EndpointSlices.Apply(slice),
                    _ => throw new InvalidOperationException(item.Kind),
                };
            }
            Directory = System.IO.Directory.CreateTempSubdirectory("ipvsd-k8s-").FullName;
            Kubeconfig = Path.Combine(Directory, "kubeconfig");
            // KubernetesClient refuses a user without credentials; the test server takes any bearer token
            File.WriteAllText(Kubeconfig, $"""
                apiVersion: v1
                kind: Config
                clusters:
                  - name: test
                    cluster: {"{"} server: "{Server.BaseAddress.ToString().TrimEnd('/')}" {"}"}
                users:
                  - name: test
                    user: {"{"} token: ipvsd-test-token {"}"}
                contexts:
                  - name: test
                    context: {"{"} cluster: test, user: test {"}"}
                current-context: test
                """);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public PodNetwork Net { get; }

    public TestApiServer Server { get; } = null!;

    public string Directory { get; } = null!;

    public string Kubeconfig { get; } = null!;

    public string[] PodAddresses => [.. Net.Pods.Select(p => p.Address.ToString())];

    /// <summary>The kubernetes: section of ipvsd.yaml for this cluster (node ports on the client's side of the node only).</summary>
    public string Source => $"kubernetes:\n  kubeconfig: {Kubeconfig}\n  node-name: {KubernetesSeed.NodeName}\n  service-proxy-name: ipvsd\n  node-port-addresses: [198.18.1.0/24]\n";

    /// <summary>Puts the seed's objects back as they were (a test changed some).</summary>
    public void Reseed()
    {
        foreach (var item in KubernetesSeed.Objects(PodAddresses))
        {
            if (item is V1EndpointSlice slice)
            {
                Server.EndpointSlices.Apply(slice);
            }
        }
    }

    public void Dispose()
    {
        Server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Net.Dispose(); // the node's end of the link goes with its namespace, and this end with it
        if (Directory is not null && System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
