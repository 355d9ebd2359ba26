namespace ServiceProxy.Kubernetes.Watching;

/// <summary>
/// Exponential backoff with jitter, capped: the delays before retrying a failed list or watch. Each failure doubles
/// the base delay up to <see cref="Maximum"/>; jitter takes up to that fraction off at random so that many nodes
/// restarting together do not hit the API server in step; a success resets it.
/// </summary>
public sealed class RetryBackoff
{
    private readonly Random _random;
    private int _failures;

    /// <summary>A backoff starting at <paramref name="initial"/> and never above <paramref name="maximum"/>.</summary>
    /// <param name="initial">The delay after the first failure.</param>
    /// <param name="maximum">The cap of every delay.</param>
    /// <param name="jitter">The fraction (0 to 1) a delay may be shortened by at random; 0 for exact delays.</param>
    /// <param name="random">The source of jitter; a shared one when null.</param>
    public RetryBackoff(TimeSpan initial, TimeSpan maximum, double jitter = 0.5, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximum, initial);
        if (double.IsNaN(jitter) || jitter < 0 || jitter > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "jitter is a fraction from 0 to 1");
        }
        Initial = initial;
        Maximum = maximum;
        Jitter = jitter;
        _random = random ?? Random.Shared;
    }

    /// <summary>The delay after the first failure.</summary>
    public TimeSpan Initial { get; }

    /// <summary>The cap of every delay.</summary>
    public TimeSpan Maximum { get; }

    /// <summary>The fraction a delay may be shortened by at random.</summary>
    public double Jitter { get; }

    /// <summary>Failures since the last success.</summary>
    public int Failures => _failures;

    /// <summary>The base delay (before jitter) the next failure will get.</summary>
    public TimeSpan NextBase
    {
        get
        {
            // Doubling in floating point and capping: no overflow however many failures there were.
            double ticks = Initial.Ticks * Math.Pow(2, Math.Min(_failures, 62));
            return ticks >= Maximum.Ticks ? Maximum : TimeSpan.FromTicks((long)ticks);
        }
    }

    /// <summary>Counts a failure and returns how long to wait before retrying.</summary>
    /// <returns>A delay in [base × (1 − jitter), base], base being doubled per failure and capped.</returns>
    public TimeSpan Next()
    {
        TimeSpan baseDelay = NextBase;
        _failures++;
        if (Jitter == 0)
        {
            return baseDelay;
        }
        // CA5394: jitter spreads retries; it needs no cryptographic randomness.
#pragma warning disable CA5394
        double cut = Jitter * _random.NextDouble();
#pragma warning restore CA5394
        return TimeSpan.FromTicks((long)(baseDelay.Ticks * (1 - cut)));
    }

    /// <summary>A success: the next failure waits <see cref="Initial"/> again.</summary>
    public void Reset() => _failures = 0;
}
