using CliWrap;
using CliWrap.Buffered;

namespace Netlink.Ipvs;

/// <summary>Loads a kernel module with modprobe, once, and says what happened.</summary>
internal static class ModuleLoader
{
    /// <summary>Runs `modprobe NAME`; returns a short account for an error message (never throws).</summary>
    public static string TryLoad(string module)
    {
        try
        {
            BufferedCommandResult result = Cli.Wrap("modprobe").WithArguments([module])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync().GetAwaiter().GetResult();
            return result.ExitCode == 0
                ? $"`modprobe {module}` succeeded but the family did not appear"
                : $"`modprobe {module}` failed: {FirstLine(result.StandardError)}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"modprobe could not run: {e.Message}";
        }
        catch (InvalidOperationException e)
        {
            return $"modprobe could not run: {e.Message}";
        }
    }

    private static string FirstLine(string text)
    {
        string trimmed = text.Trim();
        int newline = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? (trimmed.Length == 0 ? "no message" : trimmed) : trimmed[..newline];
    }
}
