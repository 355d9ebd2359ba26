namespace ServiceProxy.Health;

/// <summary>Checks a real server once. <see cref="NetworkHealthProbe"/> is the real one; tests script their own.</summary>
public interface IHealthProbe
{
    /// <summary>
    /// Checks <paramref name="target"/> once and says whether it passed. A probe is expected to answer within the
    /// check's <see cref="HealthCheck.Timeout"/> on its own (a failed result saying what timed out); the monitor counts
    /// one that has not answered a little later as failed, and cancels it.
    /// </summary>
    /// <param name="target">The real server and its check.</param>
    /// <param name="cancellationToken">Cancelled when the answer is no longer wanted: the target was removed, the
    /// monitor disposed, or the probe is overdue. A probe should then return or throw promptly.</param>
    /// <returns>The outcome. A probe that throws counts as a failure with the exception's message.</returns>
    Task<HealthProbeResult> ProbeAsync(HealthTarget target, CancellationToken cancellationToken);
}
