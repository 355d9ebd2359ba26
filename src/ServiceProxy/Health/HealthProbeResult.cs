namespace ServiceProxy.Health;

/// <summary>One probe's outcome.</summary>
/// <param name="Healthy">Whether the real server passed the check.</param>
/// <param name="Detail">
/// A short text for logs saying what was seen: "connect 198.18.1.2:80: connection refused", "HTTP 503, want 200",
/// "timed out after 2s".
/// </param>
public readonly record struct HealthProbeResult(bool Healthy, string Detail)
{
    /// <summary>A passed check.</summary>
    public static HealthProbeResult Pass(string detail) => new(true, detail);

    /// <summary>A failed check.</summary>
    public static HealthProbeResult Fail(string detail) => new(false, detail);
}
