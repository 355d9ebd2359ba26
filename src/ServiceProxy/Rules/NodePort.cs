namespace ServiceProxy.Rules;

/// <summary>A port open on every address of this host for a service (a Kubernetes node port), IPv4 and IPv6 alike.</summary>
/// <param name="Protocol">The transport protocol.</param>
/// <param name="Port">The port.</param>
public sealed record NodePort(ServiceProtocol Protocol, ushort Port)
{
    /// <inheritdoc />
    public override string ToString() => $"{Protocol.ToString().ToLowerInvariant()} node port {Port}";
}
