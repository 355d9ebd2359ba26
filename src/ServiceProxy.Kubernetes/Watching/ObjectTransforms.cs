using k8s;
using k8s.Models;

namespace ServiceProxy.Kubernetes.Watching;

/// <summary>Transforms for <see cref="ResourceInformer{T}.Transform"/>.</summary>
public static class ObjectTransforms
{
    /// <summary>
    /// Drops <c>metadata.managedFields</c> (server-side apply's bookkeeping, often larger than the rest of the object),
    /// which a service proxy never reads: the transform <see cref="KubernetesSource"/> gives its informers.
    /// </summary>
    /// <typeparam name="T">The object's type.</typeparam>
    /// <param name="item">The object, changed in place.</param>
    /// <returns><paramref name="item"/>.</returns>
    public static T WithoutManagedFields<T>(T item) where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Metadata is { } meta)
        {
            meta.ManagedFields = null;
        }
        return item;
    }
}
