using k8s;
using k8s.Models;
using KubernetesTestServer;
using ServiceProxy.Kubernetes.Watching;

namespace Netlink.Tests.Kubernetes.Watching;

/// <summary>A test API server, the real KubernetesClient connected to it, and the informers a test starts (stopped and awaited on dispose).</summary>
internal sealed class ServerRig : IAsyncDisposable
{
    /// <summary>Quick retries so that tests over HTTP do not wait; no jitter so that they are the same every run.</summary>
    public static readonly InformerOptions QuickRetries = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(100),
        BackoffJitter = 0,
        MinimumWatchDuration = TimeSpan.Zero,
    };

    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly List<Task> _running = [];

    private ServerRig(TestApiServer server)
    {
        Server = server;
        Connection = KubernetesConnection.FromConfiguration(server.ClientConfiguration());
    }

    public TestApiServer Server { get; }

    public KubernetesConnection Connection { get; }

    public CancellationToken Stopping => _stop.Token;

    public static async Task<ServerRig> StartAsync() => new(await TestApiServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken));

    public (ResourceInformer<T> Informer, RecordingHandler<T> Handler) Start<T>(ResourceKind<T> kind, ResourceSelector? selector = null, KubernetesWatchOptions? watch = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var handler = new RecordingHandler<T>();
        var informer = new ResourceInformer<T>(new KubernetesResourceClient<T>(Connection, kind, selector, watch), handler, QuickRetries);
        Run(informer.RunAsync(_stop.Token));
        return (informer, handler);
    }

    public void Run(Task task) => _running.Add(task);

    /// <summary>Stops the informers and waits for them: a test whose informer does not stop fails here.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Eventually.WithinLimitAsync(Task.WhenAll(_running), "the informers to stop");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_running).WaitAsync(Eventually.Limit, CancellationToken.None);
        }
        finally
        {
            Connection.Dispose();
            await Server.DisposeAsync();
            _stop.Dispose();
        }
    }
}
