using k8s;
using k8s.Models;

namespace ServiceProxy.Kubernetes.Watching;

/// <summary>The key an informer caches an object under: <c>namespace/name</c>, or <c>name</c> for cluster-scoped objects (client-go's MetaNamespaceKeyFunc).</summary>
public static class ObjectKey
{
    /// <summary>The object's key.</summary>
    /// <param name="item">An object with metadata.</param>
    /// <returns><c>namespace/name</c>, or <c>name</c> when it has no namespace.</returns>
    public static string Of(IKubernetesObject<V1ObjectMeta> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        V1ObjectMeta? meta = item.Metadata;
        string name = meta?.Name ?? string.Empty;
        return string.IsNullOrEmpty(meta?.NamespaceProperty) ? name : meta.NamespaceProperty + "/" + name;
    }
}
