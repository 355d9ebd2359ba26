namespace ServiceProxy.Kernel;

/// <summary>What <see cref="KernelModules.Load"/> did.</summary>
/// <param name="Module">The module asked for.</param>
/// <param name="Loaded">Whether modprobe succeeded (the module is loaded, or built in).</param>
/// <param name="Detail">One line for a log or an error message.</param>
public sealed record ModuleLoadResult(string Module, bool Loaded, string Detail);
