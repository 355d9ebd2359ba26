using System.Net;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// One endpoint of one Service port as read from an EndpointSlice (discovery.k8s.io/v1 Endpoint with the slice's port):
/// its first address, the port number, where it runs and its conditions, with missing conditions read as the API
/// defines them (ready and serving true, terminating false).
/// </summary>
/// <param name="Address">endpoints[].addresses[0].</param>
/// <param name="Port">ports[].port of the matching slice port.</param>
/// <param name="NodeName">endpoints[].nodeName, or null.</param>
/// <param name="Ready">endpoints[].conditions.ready.</param>
/// <param name="Serving">endpoints[].conditions.serving.</param>
/// <param name="Terminating">endpoints[].conditions.terminating.</param>
/// <param name="ZoneHints">endpoints[].hints.forZones[].name; empty when there are none.</param>
/// <param name="NodeHints">endpoints[].hints.forNodes[].name; empty when there are none.</param>
internal sealed record ServiceEndpoint(
    IPAddress Address,
    ushort Port,
    string? NodeName,
    bool Ready,
    bool Serving,
    bool Terminating,
    IReadOnlyCollection<string> ZoneHints,
    IReadOnlyCollection<string> NodeHints)
{
    /// <summary>Whether the endpoint runs on <paramref name="node"/>.</summary>
    public bool IsOn(string node) => NodeName is not null && node.Length > 0 && NodeName == node;

    /// <summary>Serving but terminating: kept for traffic only while no endpoint is ready.</summary>
    public bool IsServingTerminating => Serving && Terminating;
}
