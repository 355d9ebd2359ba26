namespace ServiceProxy.Kubernetes.Watching;

/// <summary>A handler whose calls take a lock shared with other handlers, so that three informers' calls reach their consumer one at a time.</summary>
internal sealed class SerializedHandler<T>(IResourceHandler<T> inner, Lock gate) : IResourceHandler<T>
{
    public void OnAdded(T item)
    {
        lock (gate)
        {
            inner.OnAdded(item);
        }
    }

    public void OnUpdated(T previous, T current)
    {
        lock (gate)
        {
            inner.OnUpdated(previous, current);
        }
    }

    public void OnDeleted(T item)
    {
        lock (gate)
        {
            inner.OnDeleted(item);
        }
    }

    public void OnListed()
    {
        lock (gate)
        {
            inner.OnListed();
        }
    }
}
