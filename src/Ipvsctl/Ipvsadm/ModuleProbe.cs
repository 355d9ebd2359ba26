using System.Diagnostics;

namespace Ipvsctl.Ipvsadm;

/// <summary>
/// Runs "/sbin/modprobe -- ip_vs" as ipvsadm does when IPVS is missing, the child writing straight to our standard
/// output and error (ipvsadm's users see modprobe's own message). This is the one program ipvsctl starts without
/// CliWrap: CliWrap always gives the child pipes and pumps them on the thread pool, which costs more than half of
/// ipvsadm's whole start-up time (the start-up bar of issue 3), and it cannot hand the child our own descriptors.
/// </summary>
internal static class ModuleProbe
{
    /// <summary>True when modprobe succeeded (ipvsadm only tries IPVS again then).</summary>
    public static bool Run(TextWriter stderr)
    {
        stderr.Flush();
        var start = new ProcessStartInfo("/sbin/modprobe") { UseShellExecute = false };
        start.ArgumentList.Add("--");
        start.ArgumentList.Add("ip_vs");
        try
        {
            using Process? child = Process.Start(start);
            if (child is null)
            {
                return false;
            }
            child.WaitForExit();
            return child.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No modprobe: ipvsadm's child fails the same way, silently.
            return false;
        }
    }
}
