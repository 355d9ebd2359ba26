namespace ServiceProxy.Kubernetes.Translation;

/// <summary>A Service's health check node port appeared, went, or its count of local endpoints changed.</summary>
/// <param name="Service">The Service.</param>
/// <param name="Now">Its health check node port now; null when it has none any more.</param>
public sealed record HealthCheckNodePortChange(ServiceName Service, HealthCheckNodePort? Now);
