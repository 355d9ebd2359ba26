using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using k8s.Models;
using ServiceProxy.Kubernetes.Watching;

namespace Netlink.Tests.Kubernetes.Watching;

/// <summary>
/// A list-and-watch client whose answers the test queues: each list or watch takes the next script step; with none
/// left, a list answers empty and a watch stays open, silent, until cancelled.
/// </summary>
internal sealed class ScriptedResourceClient : IResourceClient<V1Service>
{
    private int _lists;
    private int _watches;

    public ConcurrentQueue<Func<ResourceList<V1Service>>> Lists { get; } = new();

    public ConcurrentQueue<Func<CancellationToken, IAsyncEnumerable<WatchEvent<V1Service>>>> Watches { get; } = new();

    public ConcurrentQueue<string> WatchedFrom { get; } = new();

    public string Kind => "services";

    public int ListCalls => Volatile.Read(ref _lists);

    public int WatchCalls => Volatile.Read(ref _watches);

    public Task<ResourceList<V1Service>> ListAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lists);
        return Task.FromResult(Lists.TryDequeue(out var step) ? step() : new ResourceList<V1Service>([], "1"));
    }

    public IAsyncEnumerable<WatchEvent<V1Service>> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _watches);
        WatchedFrom.Enqueue(resourceVersion);
        return Watches.TryDequeue(out var step) ? step(cancellationToken) : Silent(cancellationToken);
    }

    public static async IAsyncEnumerable<WatchEvent<V1Service>> Silent([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        yield break;
    }

    public static async IAsyncEnumerable<WatchEvent<V1Service>> Failing(Exception error)
    {
        await Task.Yield();
        throw error;
#pragma warning disable CS0162 // an iterator needs a yield to be one
        yield break;
#pragma warning restore CS0162
    }

    public static async IAsyncEnumerable<WatchEvent<V1Service>> Events(params WatchEvent<V1Service>[] events)
    {
        foreach (WatchEvent<V1Service> e in events)
        {
            await Task.Yield();
            yield return e;
        }
    }

    public static V1Service Service(string name, string resourceVersion, string uid = "uid-1") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", ResourceVersion = resourceVersion, Uid = uid },
    };
}
