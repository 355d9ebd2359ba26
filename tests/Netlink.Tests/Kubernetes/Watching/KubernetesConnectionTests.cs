using KubernetesTestServer;
using ServiceProxy.Kubernetes.Watching;

namespace Netlink.Tests.Kubernetes.Watching;

/// <summary>A connection from a kubeconfig file: its server and its credentials reach the lists and, through our own request, the watches.</summary>
public sealed class KubernetesConnectionTests
{
    [Fact(Timeout = 30_000)]
    public async Task A_kubeconfig_token_is_sent_with_the_lists_and_the_watches()
    {
        await using TestApiServer server = await TestApiServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.Services.Apply(Objects.Service("web"));
        string kubeconfig = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {server.BaseAddress}
            users:
            - name: ipvsd
              user:
                token: token-of-ipvsd
            contexts:
            - name: test
              context:
                cluster: test
                user: ipvsd
            current-context: test
            """, TestContext.Current.CancellationToken);
        try
        {
            using KubernetesConnection connection = KubernetesConnection.Create(kubeconfig);
            var handler = new RecordingHandler<k8s.Models.V1Service>();
            var informer = new ResourceInformer<k8s.Models.V1Service>(new KubernetesResourceClient<k8s.Models.V1Service>(connection, ResourceKinds.Services), handler, ServerRig.QuickRetries);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            Task running = informer.RunAsync(stop.Token);
            await Eventually.WithinLimitAsync(informer.WaitForSyncAsync(TestContext.Current.CancellationToken), "the first list");
            await TestApiServer.WaitForWatchesAsync(server.Services, 1, TestContext.Current.CancellationToken);
            await stop.CancelAsync();
            await Eventually.WithinLimitAsync(running, "the informer to stop");

            Assert.Equal(["added default/web", "listed"], handler.Events);
            Assert.Equal(2, server.Requests.Count);
            Assert.All(server.Requests, r => Assert.Equal("Bearer token-of-ipvsd", r.Authorization));
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}
