using System.Net;
using Microsoft.Extensions.Logging;
using ServiceProxy.Health;
using static Netlink.Tests.ServiceProxy.Health.MonitorRig;

namespace Netlink.Tests.ServiceProxy.Health;

/// <summary>
/// The monitor on a fake clock: keepalived's rise and fall through real scheduling, target changes, transitions,
/// timeouts and disposal. The fake clock runs due timers on the thread that moves it, so a target's first probe
/// starts inside SetTargets and each round's inside Advance; the rig then waits for the probes to finish.
/// </summary>
public sealed class HealthMonitorTests
{
    private static HealthState Healthy => HealthState.Healthy;

    private static HealthState Unhealthy => HealthState.Unhealthy;

    [Fact]
    public async Task ATarget_StartsHealthy_BeforeAnyProbeAnswers()
    {
        await using var rig = new MonitorRig();
        rig.Probe.Answer = ScriptedProbe.NeverAnswers;
        HealthTarget a = Target("198.18.1.1", Check(fall: 1));

        rig.Monitor.SetTargets([a]);

        Assert.Equal(Healthy, rig.StateOf(a));
        Assert.Equal([(a, Healthy)], rig.Monitor.Snapshot());
        Assert.Equal(Healthy, rig.Monitor.StateOf(Web, IPAddress.Parse("198.18.9.9"), 80));
    }

    [Fact]
    public async Task ExactlyFallFailuresInARow_MakeItUnhealthy_OneFewerDoNot()
    {
        await using var rig = new MonitorRig();
        HealthTarget a = Target("198.18.1.1", Check(fall: 3));
        rig.Probe.Script(a, "FFF");

        await rig.SetTargetsAsync(1, a);
        Assert.Equal(Healthy, rig.StateOf(a));
        await rig.NextRoundAsync();
        Assert.Equal(Healthy, rig.StateOf(a));
        await rig.NextRoundAsync();
        Assert.Equal(Unhealthy, rig.StateOf(a));

        await rig.DisposeAsync();
        Assert.Equal([new HealthTransition(a, Unhealthy, "fail 3")], rig.Transitions);
    }

    [Fact]
    public async Task APassBetweenFailures_StartsTheFallCountAgain()
    {
        await using var rig = new MonitorRig();
        HealthTarget a = Target("198.18.1.1", Check(fall: 3));
        rig.Probe.Script(a, "FFPFFF");

        await rig.SetTargetsAsync(1, a);
        for (int round = 2; round <= 5; round++)
        {
            await rig.NextRoundAsync();
            Assert.Equal(Healthy, rig.StateOf(a));
        }
        await rig.NextRoundAsync();
        Assert.Equal(Unhealthy, rig.StateOf(a));
    }

    [Fact]
    public async Task ExactlyRisePassesInARow_BringItBack_AndAFailureBetweenStartsThemAgain()
    {
        await using var rig = new MonitorRig();
        HealthTarget a = Target("198.18.1.1", Check(rise: 3, fall: 1));
        rig.Probe.Script(a, "FPPFPPP");

        await rig.SetTargetsAsync(1, a);
        string states = rig.StateOf(a) == Healthy ? "H" : "U";
        for (int round = 2; round <= 7; round++)
        {
            await rig.NextRoundAsync();
            states += rig.StateOf(a) == Healthy ? "H" : "U";
        }

        Assert.Equal("UUUUUUH", states);
    }

    [Fact]
    public async Task StateChanged_IsRaisedOncePerTransition_InOrder_OnTheThreadPool()
    {
        await using var rig = new MonitorRig();
        var onPool = new List<bool>();
        rig.Monitor.StateChanged += _ => onPool.Add(Thread.CurrentThread.IsThreadPoolThread);
        HealthTarget a = Target("198.18.1.1", Check(rise: 2, fall: 2));
        rig.Probe.Script(a, "FFFPPPFF");

        await rig.SetTargetsAsync(1, a);
        for (int round = 2; round <= 8; round++)
        {
            await rig.NextRoundAsync();
        }
        await rig.DisposeAsync();

        Assert.Equal(
            [new HealthTransition(a, Unhealthy, "fail 2"), new HealthTransition(a, Healthy, "pass 5"), new HealthTransition(a, Unhealthy, "fail 8")],
            rig.Transitions);
        Assert.Equal([true, true, true], onPool);
    }

    [Fact]
    public async Task ATransition_LogsOneLine_NamingServiceRealServerStateAndDetail()
    {
        await using var rig = new MonitorRig();
        HealthTarget a = Target("198.18.1.1", Check(rise: 1, fall: 2));
        rig.Probe.Script(a, "FFP");

        await rig.SetTargetsAsync(1, a);
        await rig.NextRoundAsync();
        await rig.NextRoundAsync();

        LoggedLine[] transitions = [.. rig.Log.Lines.Where(l => l.EventName == "HealthStateChanged")];
        Assert.Equal(2, transitions.Length);
        Assert.Equal((LogLevel.Warning, "TCP 198.18.0.1:80 real server 198.18.1.1:80 is now Unhealthy: fail 2"), (transitions[0].Level, transitions[0].Message));
        Assert.Equal((LogLevel.Information, "TCP 198.18.0.1:80 real server 198.18.1.1:80 is now Healthy: pass 3"), (transitions[1].Level, transitions[1].Message));
        Assert.Equal(Web, transitions[0].Values["Service"]);
        Assert.Equal("198.18.1.1:80", transitions[0].Values["RealServer"]);
        Assert.Equal(Unhealthy, transitions[0].Values["State"]);
        Assert.Equal("fail 2", transitions[0].Values["Detail"]);
        // Each failed check at debug level, the passing one not.
        Assert.Equal(2, rig.Log.Lines.Count(l => l.EventName == "HealthCheckFailed" && l.Level == LogLevel.Debug));
    }

    [Fact]
    public async Task SetTargets_KeepsAnUnchangedTarget_WithItsStateAndCounts_AndDoesNotProbeItAgain()
    {
        await using var rig = new MonitorRig();
        HealthTarget a = Target("198.18.1.1", Check(fall: 2));
        HealthTarget down = Target("198.18.1.2", Check(fall: 1));
        rig.Probe.Script(a, "FF");
        rig.Probe.Script(down, "FF");
        await rig.SetTargetsAsync(2, a, down);
        Assert.Equal((Healthy, Unhealthy), (rig.StateOf(a), rig.StateOf(down)));

        // Equal values, not the same instances: what a daemon builds afresh from each new table.
        await rig.SetTargetsAsync(0, Target("198.18.1.1", Check(fall: 2)), Target("198.18.1.2", Check(fall: 1)));
        Assert.Equal((1, 1), (rig.Probe.CallsTo(a), rig.Probe.CallsTo(down)));
        Assert.Equal(Unhealthy, rig.StateOf(down));

        await rig.NextRoundAsync(probes: 2);
        Assert.Equal(Unhealthy, rig.StateOf(a));
    }

    [Fact]
    public async Task SetTargets_RestartsATargetWhoseCheckChanged_Healthy_ProbesItAtOnce_AndStopsTheOldCheck()
    {
        await using var rig = new MonitorRig();
        HealthTarget before = Target("198.18.1.1", Check(fall: 1));
        HealthTarget after = before with { Check = before.Check with { Fall = 2 } };
        rig.Probe.Script(before, "F");
        rig.Probe.Script(after, "FF");
        await rig.SetTargetsAsync(1, before);
        Assert.Equal(Unhealthy, rig.StateOf(before));

        await rig.SetTargetsAsync(1, after);

        // Its first probe under the new check failed, and one failure of two leaves a fresh start healthy.
        Assert.Equal(1, rig.Probe.CallsTo(after));
        Assert.Equal(Healthy, rig.StateOf(after));
        await rig.NextRoundAsync();
        Assert.Equal((1, 2), (rig.Probe.CallsTo(before), rig.Probe.CallsTo(after)));
        Assert.Equal(Unhealthy, rig.StateOf(after));
        await rig.DisposeAsync();
        Assert.Equal([new HealthTransition(before, Unhealthy, "fail 1"), new HealthTransition(after, Unhealthy, "fail 2")], rig.Transitions);
    }

    [Fact]
    public async Task SetTargets_StopsARemovedTarget_ItIsProbedNoMore_AndReadsAsNotATarget()
    {
        await using var rig = new MonitorRig();
        HealthTarget a = Target("198.18.1.1", Check(fall: 1));
        HealthTarget b = Target("198.18.1.2", Check(fall: 1));
        rig.Probe.Script(a, "FFFF");
        rig.Probe.Script(b, "F");
        await rig.SetTargetsAsync(2, a, b);

        await rig.SetTargetsAsync(0, a);
        for (int round = 0; round < 3; round++)
        {
            await rig.NextRoundAsync(probes: 1);
        }

        Assert.Equal((4, 1), (rig.Probe.CallsTo(a), rig.Probe.CallsTo(b)));
        Assert.Equal(Healthy, rig.StateOf(b));
        Assert.Equal([(a, Unhealthy)], rig.Monitor.Snapshot());
    }

    [Fact]
    public async Task SetTargets_CancelsTheRunningProbeOfARemovedTarget_AndCountsNothingFromIt()
    {
        await using var rig = new MonitorRig();
        rig.Probe.Answer = ScriptedProbe.NeverAnswers;
        HealthTarget a = Target("198.18.1.1", Check(fall: 1));
        rig.Monitor.SetTargets([a]);
        ProbeCall call = Assert.Single(rig.Probe.Calls);

        await rig.SetTargetsAsync(0);
        await rig.UntilFinished(1);

        Assert.True(call.CancellationToken.IsCancellationRequested);
        Assert.Empty(rig.Monitor.Snapshot());
        await rig.DisposeAsync();
        Assert.Empty(rig.Transitions);
    }

    [Fact]
    public async Task Disposal_StopsProbing()
    {
        await using var rig = new MonitorRig();
        HealthTarget a = Target("198.18.1.1");
        await rig.SetTargetsAsync(1, a);
        await rig.NextRoundAsync();

        await rig.Monitor.DisposeAsync();
        rig.Time.Advance(Interval * 10);

        Assert.Equal(2, rig.Probe.CallsTo(a));
        Assert.Empty(rig.Monitor.Snapshot());
        Assert.Throws<ObjectDisposedException>(() => rig.Monitor.SetTargets([a]));
    }

    [Fact]
    public async Task Disposal_CancelsARunningProbe_AndDisposeAsyncWaitsForItToReturn()
    {
        var rig = new MonitorRig();
        var returned = false;
        rig.Probe.Answer = async call =>
        {
            try
            {
                return await ScriptedProbe.NeverAnswers(call);
            }
            finally
            {
                returned = true;
            }
        };
        rig.Monitor.SetTargets([Target("198.18.1.1")]);

        await Guarded(rig.Monitor.DisposeAsync().AsTask().ContinueWith(_ => returned, TaskScheduler.Default));

        Assert.True(returned);
        Assert.True(Assert.Single(rig.Probe.Calls).CancellationToken.IsCancellationRequested);
    }

    [Fact]
    public async Task DisposeAsync_AlsoWaitsForTheCancelledProbeOfATargetRemovedBefore()
    {
        var rig = new MonitorRig();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Cancelled when its target is removed, but slow to return: it holds on until the test lets it go.
        rig.Probe.Answer = async call =>
        {
            try
            {
                return await ScriptedProbe.NeverAnswers(call);
            }
            finally
            {
                await release.Task;
            }
        };
        rig.Monitor.SetTargets([Target("198.18.1.1")]);
        rig.Monitor.SetTargets([]);

        Task disposing = rig.Monitor.DisposeAsync().AsTask();
        await Task.Run(() => { }, TestContext.Current.CancellationToken);
        Assert.False(disposing.IsCompleted);
        release.SetResult();

        await disposing.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AProbeThatThrows_CountsAsAFailure_WithTheExceptionsMessage(bool beforeReturningATask)
    {
        await using var rig = new MonitorRig();
        rig.Probe.Answer = beforeReturningATask
            ? _ => throw new InvalidOperationException("probe broke")
            : _ => Task.FromException<HealthProbeResult>(new InvalidOperationException("probe broke"));
        HealthTarget a = Target("198.18.1.1", Check(fall: 1));

        await rig.SetTargetsAsync(1, a);

        Assert.Equal(Unhealthy, rig.StateOf(a));
        await rig.DisposeAsync();
        Assert.Equal([new HealthTransition(a, Unhealthy, "probe broke")], rig.Transitions);
    }

    [Fact]
    public async Task AProbeThatOutlastsItsTimeout_CountsAsAFailure_AndIsCancelled()
    {
        await using var rig = new MonitorRig();
        rig.Probe.Answer = ScriptedProbe.NeverAnswers;
        HealthTarget a = Target("198.18.1.1", Check(fall: 1));
        rig.Monitor.SetTargets([a]);
        ProbeCall call = Assert.Single(rig.Probe.Calls);

        // At its timeout a probe is left to answer for itself (the network probe does, naming what timed out).
        rig.Time.Advance(CheckTimeout);
        Assert.False(call.CancellationToken.IsCancellationRequested);
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        await rig.UntilFinished(1);

        Assert.Equal(Unhealthy, rig.StateOf(a));
        Assert.True(call.CancellationToken.IsCancellationRequested);
        await rig.DisposeAsync();
        Assert.Equal([new HealthTransition(a, Unhealthy, "no answer after 3s (timeout 2s)")], rig.Transitions);
    }

    [Fact]
    public async Task AProbeThatIgnoresCancellation_IsCountedAtItsDeadline_AndHoldsTheTargetUntilItReturns()
    {
        await using var rig = new MonitorRig();
        var stuck = new TaskCompletionSource<HealthProbeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Probe.Answer = call => call.Number == 1 ? stuck.Task : Task.FromResult(HealthProbeResult.Fail($"fail {call.Number}"));
        var transition = new TaskCompletionSource<HealthTransition>(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Monitor.StateChanged += t => transition.TrySetResult(t);
        HealthTarget a = Target("198.18.1.1", Check(rise: 1, fall: 1));
        rig.Monitor.SetTargets([a]);

        rig.Time.Advance(CheckTimeout + TimeSpan.FromSeconds(1));
        HealthTransition down = await Guarded(transition.Task);
        Assert.Equal(new HealthTransition(a, Unhealthy, "no answer after 3s (timeout 2s)"), down);

        // Three ticks while it is stuck: no second probe beside it.
        rig.Time.Advance(Interval * 3);
        Assert.Single(rig.Probe.Calls);

        // Its late pass is not counted (a rise of 1 would bring the target back); the ticks it held up probe once, at once.
        stuck.SetResult(HealthProbeResult.Pass("late pass"));
        await rig.UntilFinished(2);
        Assert.Equal(2, rig.Probe.Calls.Count);
        Assert.Equal(Unhealthy, rig.StateOf(a));
        await rig.DisposeAsync();
        Assert.Equal([down], rig.Transitions);
    }

    [Fact]
    public async Task AStateChangedHandlerThatThrows_IsLogged_AndLaterTransitionsAreStillRaised()
    {
        await using var rig = new MonitorRig();
        rig.Monitor.StateChanged += _ => throw new InvalidOperationException("handler broke");
        HealthTarget a = Target("198.18.1.1", Check(rise: 1, fall: 1));
        rig.Probe.Script(a, "FP");

        await rig.SetTargetsAsync(1, a);
        await rig.NextRoundAsync();
        await rig.DisposeAsync();

        Assert.Equal([Unhealthy, Healthy], rig.Transitions.Select(t => t.State));
        LoggedLine[] failures = [.. rig.Log.Lines.Where(l => l.EventName == "HealthStateChangedHandlerFailed")];
        Assert.Equal(2, failures.Length);
        Assert.All(failures, l => Assert.Equal(LogLevel.Error, l.Level));
    }

    [Fact]
    public async Task SetTargets_RefusesARealServerListedTwice()
    {
        await using var rig = new MonitorRig();
        HealthTarget a = Target("198.18.1.1");

        ArgumentException e = Assert.Throws<ArgumentException>(() => rig.Monitor.SetTargets([a, a with { Check = Check(fall: 1) }]));

        Assert.Contains("real server 198.18.1.1:80 of TCP 198.18.0.1:80 is listed twice", e.Message, StringComparison.Ordinal);
        Assert.Empty(rig.Probe.Calls);
    }

    [Fact]
    public async Task Snapshot_ListsEveryTargetWithItsState()
    {
        await using var rig = new MonitorRig();
        HealthTarget up = Target("198.18.1.1", Check(fall: 1));
        HealthTarget down = Target("198.18.1.2", Check(fall: 1));
        rig.Probe.Script(down, "F");

        await rig.SetTargetsAsync(2, up, down);

        Assert.Equal([(up, Healthy), (down, Unhealthy)], rig.Monitor.Snapshot().OrderBy(s => s.Target.Address.ToString(), StringComparer.Ordinal));
    }
}
