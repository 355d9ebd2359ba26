namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// spec.healthCheckNodePort of a LoadBalancer Service with externalTrafficPolicy Local: the port on which this node
/// answers the cloud load balancer HTTP 200 while it has local endpoints (and the proxy is healthy), else 503, with
/// kube-proxy's JSON body counting them.
/// </summary>
/// <param name="Port">The TCP port.</param>
/// <param name="LocalEndpoints">The Service's ready endpoints on this node, counted by IP (kube-proxy counts a pod serving two ports once; terminating ones do not count).</param>
public sealed record HealthCheckNodePort(ushort Port, int LocalEndpoints);
