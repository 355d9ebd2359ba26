namespace ServiceProxy.Health;

/// <summary>A target's state changed.</summary>
/// <param name="Target">The real server and its check.</param>
/// <param name="State">The state it is in now.</param>
/// <param name="Detail">The detail of the probe that made the change (<see cref="HealthProbeResult.Detail"/>).</param>
public sealed record HealthTransition(HealthTarget Target, HealthState State, string Detail);
