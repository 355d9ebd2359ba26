using ServiceProxy.Programs;

namespace ServiceProxy.Kernel;

/// <summary>
/// Loads kernel modules with modprobe, the one program the kernel side of a service proxy needs: the protocol
/// libraries only report that a family (such as IPVS) is missing, and the layer above decides to load it.
/// </summary>
public static class KernelModules
{
    /// <summary>modprobe loads from local disk; a minute means it is stuck (a hung udev, a broken module).</summary>
    private static readonly TimeSpan ModprobeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <c>modprobe MODULE</c> (no shell) and says what happened; never throws for a modprobe
    /// that is missing or fails.
    /// </summary>
    public static ModuleLoadResult Load(string module, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(module);
        if (module.StartsWith('-'))
        {
            throw new ArgumentException($"'{module}' is not a module name", nameof(module));
        }
        try
        {
            ProgramResult result = ExternalProgram.Run("modprobe", ["--", module], null, ModprobeTimeout, cancellationToken);
            return result.ExitCode == 0
                ? new ModuleLoadResult(module, true, $"`modprobe {module}` succeeded")
                : new ModuleLoadResult(module, false, $"`modprobe {module}` failed: {FirstLine(result.StandardError)}");
        }
        catch (ProgramFailedToRunException e)
        {
            return new ModuleLoadResult(module, false, $"modprobe could not run: {e.Message}: install kmod");
        }
    }

    private static string FirstLine(string text)
    {
        string trimmed = text.Trim();
        int newline = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? (trimmed.Length == 0 ? "no message" : trimmed) : trimmed[..newline];
    }
}
