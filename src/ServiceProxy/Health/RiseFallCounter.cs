namespace ServiceProxy.Health;

/// <summary>
/// keepalived's rise and fall counting for one target: it starts healthy (so starting the daemon blacks out no
/// service), <c>fall</c> failures in a row make it unhealthy, then <c>rise</c> passes in a row make it healthy again.
/// A result that agrees with the current state clears the streak of the other kind, so only consecutive ones count.
/// Not thread-safe: its owner serialises the calls.
/// </summary>
internal sealed class RiseFallCounter
{
    private readonly int _rise;
    private readonly int _fall;

    /// <summary>Results in a row that disagree with <see cref="State"/>.</summary>
    private int _streak;

    public RiseFallCounter(int rise, int fall)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rise, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fall, 1);
        _rise = rise;
        _fall = fall;
    }

    public HealthState State { get; private set; } = HealthState.Healthy;

    /// <summary>Counts one probe's result; true when it changed <see cref="State"/>.</summary>
    public bool Record(bool healthy)
    {
        bool agrees = healthy == (State == HealthState.Healthy);
        if (agrees)
        {
            _streak = 0;
            return false;
        }
        _streak++;
        if (_streak < (healthy ? _rise : _fall))
        {
            return false;
        }
        State = healthy ? HealthState.Healthy : HealthState.Unhealthy;
        _streak = 0;
        return true;
    }
}
