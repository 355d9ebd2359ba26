namespace ServiceProxy.Kubernetes.Watching;

/// <summary>The answer to a list request: the objects and the list's <c>metadata.resourceVersion</c>, the point a watch continues from.</summary>
/// <typeparam name="T">The resource's type, e.g. <c>V1Service</c>.</typeparam>
/// <param name="Items">Every object the selector matched, at <paramref name="ResourceVersion"/>.</param>
/// <param name="ResourceVersion">The list's <c>metadata.resourceVersion</c>.</param>
public sealed record ResourceList<T>(IReadOnlyList<T> Items, string ResourceVersion);
