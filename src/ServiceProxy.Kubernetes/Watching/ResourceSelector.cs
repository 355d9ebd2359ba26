namespace ServiceProxy.Kubernetes.Watching;

/// <summary>Which objects of a kind a list and its watch see: the <c>labelSelector</c> and <c>fieldSelector</c> query parameters.</summary>
/// <param name="LabelSelector">A label selector (<c>key=value</c>, <c>key!=value</c>, <c>key</c>, <c>!key</c>, comma-separated), or null for all.</param>
/// <param name="FieldSelector">A field selector, e.g. <c>metadata.name=node-1</c>, or null for all.</param>
public sealed record ResourceSelector(string? LabelSelector = null, string? FieldSelector = null)
{
    /// <summary>Every object of the kind.</summary>
    public static ResourceSelector Everything { get; } = new();
}
