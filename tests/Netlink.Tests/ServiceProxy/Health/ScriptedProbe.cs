using ServiceProxy.Health;

namespace Netlink.Tests.ServiceProxy.Health;

/// <summary>One call a <see cref="ScriptedProbe"/> took: which target, its number for that target (from 1), and the token it got.</summary>
internal sealed record ProbeCall(HealthTarget Target, int Number, CancellationToken CancellationToken);

/// <summary>
/// A probe that answers from a script per target: "FFP" fails twice, then passes, then passes on past the end; the
/// detail says which call it was ("fail 2"). <see cref="Answer"/> replaces the script for answers a test makes itself
/// (one that never comes, throws, or ignores cancellation).
/// </summary>
internal sealed class ScriptedProbe : IHealthProbe
{
    private readonly Lock _lock = new();
    private readonly Dictionary<HealthTarget, string> _scripts = [];
    private readonly List<ProbeCall> _calls = [];

    /// <summary>When set, answers every call instead of the scripts.</summary>
    public Func<ProbeCall, Task<HealthProbeResult>>? Answer { get; set; }

    public IReadOnlyList<ProbeCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public void Script(HealthTarget target, string outcomes)
    {
        lock (_lock)
        {
            _scripts[target] = outcomes;
        }
    }

    public int CallsTo(HealthTarget target) => Calls.Count(c => c.Target == target);

    /// <summary>An answer that never comes: the task is cancelled when the call's token is, as a well-behaved probe's.</summary>
    public static Task<HealthProbeResult> NeverAnswers(ProbeCall call)
    {
        var answer = new TaskCompletionSource<HealthProbeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        call.CancellationToken.Register(() => answer.TrySetCanceled(call.CancellationToken));
        return answer.Task;
    }

    public Task<HealthProbeResult> ProbeAsync(HealthTarget target, CancellationToken cancellationToken)
    {
        ProbeCall call;
        string script;
        lock (_lock)
        {
            call = new ProbeCall(target, _calls.Count(c => c.Target == target) + 1, cancellationToken);
            _calls.Add(call);
            script = _scripts.GetValueOrDefault(target, "");
        }
        if (Answer is { } answer)
        {
            return answer(call);
        }
        bool pass = call.Number > script.Length || script[call.Number - 1] == 'P';
        return Task.FromResult(new HealthProbeResult(pass, $"{(pass ? "pass" : "fail")} {call.Number}"));
    }
}
