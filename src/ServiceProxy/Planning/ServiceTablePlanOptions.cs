namespace ServiceProxy.Planning;

/// <summary>How <see cref="ServiceTablePlanner"/> compares the desired table with the kernel's.</summary>
public sealed class ServiceTablePlanOptions
{
    /// <summary>
    /// Real servers the kernel already has keep their current weight (set by hand, or by a health checker); new
    /// real servers get the desired weight.
    /// </summary>
    public bool KeepWeights { get; init; }

    /// <summary>The defaults: weights follow the desired table.</summary>
    public static ServiceTablePlanOptions Default { get; } = new();
}
