using k8s;
using k8s.Models;
using ServiceProxy.Kubernetes.Watching;

namespace Netlink.Tests.Kubernetes.Watching;

/// <summary>A handler that writes down each call as "added ns/name", "updated ns/name", "deleted ns/name" or "listed".</summary>
internal sealed class RecordingHandler<T> : IResourceHandler<T> where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _lock = new();
    private readonly List<string> _events = [];

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _events.Clear();
        }
    }

    public void OnAdded(T item) => Add($"added {ObjectKey.Of(item)}");

    public void OnUpdated(T previous, T current)
    {
        Assert.Equal(ObjectKey.Of(previous), ObjectKey.Of(current));
        Add($"updated {ObjectKey.Of(current)}");
    }

    public void OnDeleted(T item) => Add($"deleted {ObjectKey.Of(item)}");

    public void OnListed() => Add("listed");

    private void Add(string line)
    {
        lock (_lock)
        {
            _events.Add(line);
        }
    }
}
