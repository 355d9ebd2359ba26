using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Netlink.Tests.Kubernetes.Watching;

/// <summary>A fake clock that also reports each timer created on it with its due time: the informer's backoff delays, seen exactly and without a race.</summary>
internal sealed class RecordingTimeProvider : TimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => Clock.GetUtcNow();

    public override long GetTimestamp() => Clock.GetTimestamp();

    public override long TimestampFrequency => Clock.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Clock.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = Clock.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created (waiting for it), which the test then lets pass.</summary>
    public async Task<TimeSpan> NextTimerAsync() => await Eventually.WithinLimitAsync(_timers.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask(), "a backoff timer");

    public bool HasTimer => _timers.Reader.TryPeek(out _);

    public void Advance(TimeSpan by) => Clock.Advance(by);
}
