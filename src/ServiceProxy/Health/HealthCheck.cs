namespace ServiceProxy.Health;

/// <summary>
/// How a service's real servers are checked, and what happens to one that fails (keepalived's real-server checks):
/// after <see cref="Fall"/> failures in a row it is inhibited (weight 0: no new connections, existing ones finish) or
/// removed; after <see cref="Rise"/> successes in a row it comes back with the weight the model gives it.
/// </summary>
public sealed record HealthCheck
{
    /// <summary>A TCP connect (the default), or an HTTP GET that must answer <see cref="Status"/>.</summary>
    public HealthCheckType Type { get; init; } = HealthCheckType.Tcp;

    /// <summary>The port to check; null means each real server's own port.</summary>
    public ushort? Port { get; init; }

    /// <summary>The HTTP path asked for (HTTP only). Default "/".</summary>
    public string Path { get; init; } = "/";

    /// <summary>The HTTP status that means healthy (HTTP only). Default 200.</summary>
    public int Status { get; init; } = 200;

    /// <summary>Time between two checks of one real server. Default 5 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one check may take before it counts as failed; at most <see cref="Interval"/>. Default 2 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Successes in a row that bring a failed real server back. Default 2.</summary>
    public int Rise { get; init; } = 2;

    /// <summary>Failures in a row that take a real server out of service. Default 3.</summary>
    public int Fall { get; init; } = 3;

    /// <summary>What a failed real server gets: weight 0 (the default) or removal.</summary>
    public HealthCheckFailureAction OnFailure { get; init; } = HealthCheckFailureAction.Inhibit;
}
