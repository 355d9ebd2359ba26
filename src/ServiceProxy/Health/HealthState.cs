namespace ServiceProxy.Health;

/// <summary>Whether a real server should take traffic, by its recent checks.</summary>
public enum HealthState
{
    /// <summary>In service: where every target starts, and where <see cref="HealthCheck.Rise"/> passes in a row bring it back.</summary>
    Healthy,

    /// <summary>Out of service (inhibited or removed, per <see cref="HealthCheck.OnFailure"/>) after <see cref="HealthCheck.Fall"/> failures in a row.</summary>
    Unhealthy,
}
