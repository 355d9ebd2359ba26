using ServiceProxy.Rules;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>A node port the service rules must know: traffic to it on a node address is masqueraded, unless it preserves the client address.</summary>
/// <param name="Port">The protocol and port (spec.ports[].nodePort).</param>
/// <param name="PreservesClientAddress">externalTrafficPolicy Local: traffic keeps its source address.</param>
public sealed record NodePortRule(NodePort Port, bool PreservesClientAddress)
{
    /// <inheritdoc />
    public override string ToString() => PreservesClientAddress ? $"{Port} (local)" : Port.ToString();
}
