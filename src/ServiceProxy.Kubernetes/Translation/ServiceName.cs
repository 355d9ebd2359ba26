namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// Which Kubernetes Service (or other namespaced object) is meant: its namespace and name (metadata.namespace,
/// metadata.name), read as "namespace/name" as kubectl and kube-proxy's logs write it. Ordered by namespace, then name.
/// </summary>
/// <param name="Namespace">metadata.namespace.</param>
/// <param name="Name">metadata.name.</param>
public readonly record struct ServiceName(string Namespace, string Name) : IComparable<ServiceName>
{
    /// <inheritdoc />
    public int CompareTo(ServiceName other)
    {
        int byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Name, other.Name);
    }

    /// <summary>Whether <paramref name="left"/> sorts before <paramref name="right"/>.</summary>
    public static bool operator <(ServiceName left, ServiceName right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> sorts after <paramref name="right"/>.</summary>
    public static bool operator >(ServiceName left, ServiceName right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> sorts before or with <paramref name="right"/>.</summary>
    public static bool operator <=(ServiceName left, ServiceName right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> sorts after or with <paramref name="right"/>.</summary>
    public static bool operator >=(ServiceName left, ServiceName right) => left.CompareTo(right) >= 0;

    /// <summary>"namespace/name".</summary>
    public override string ToString() => $"{Namespace}/{Name}";
}
