using Netlink;

namespace ServiceProxy.Planning;

/// <summary>
/// The kernel refused a step of a plan. The steps before <see cref="FailedStep"/> were applied; applying a fresh
/// plan after fixing the cause finishes the job.
/// </summary>
public sealed class ServiceTableApplyException : Exception
{
    /// <summary>Creates the exception for step <paramref name="failedStep"/> of <paramref name="plan"/> (its step count means the timeouts).</summary>
    public ServiceTableApplyException(ServiceTablePlan plan, int failedStep, NetlinkException cause)
        : base(Describe(plan, failedStep, cause), cause)
    {
        ArgumentNullException.ThrowIfNull(plan);
        FailedStep = failedStep;
        StepCount = plan.Changes.Count + (plan.Timeouts is null ? 0 : 1);
        FailedChange = failedStep >= 0 && failedStep < plan.Changes.Count ? plan.Changes[failedStep] : null;
    }

    /// <summary>Creates an exception with default text.</summary>
    public ServiceTableApplyException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public ServiceTableApplyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the kernel's error.</summary>
    public ServiceTableApplyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Index of the refused step, from 0; equal to the number of changes when setting the timeouts failed.</summary>
    public int FailedStep { get; }

    /// <summary>Steps in the plan, the timeouts counting as one.</summary>
    public int StepCount { get; }

    /// <summary>The refused step, or null when it was the timeouts.</summary>
    public ServiceTableChange? FailedChange { get; }

    private static string Describe(ServiceTablePlan plan, int failedStep, NetlinkException cause)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(cause);
        // The cause already names the operation and its object ("add real server 198.19.0.1:80 to TCP ...: ...").
        int total = plan.Changes.Count + (plan.Timeouts is null ? 0 : 1);
        return $"step {failedStep + 1} of {total} failed: {cause.Message}; the {failedStep} step(s) before it were applied: fix the cause and apply again";
    }
}
