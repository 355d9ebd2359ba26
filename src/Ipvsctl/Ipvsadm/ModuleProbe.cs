using CliWrap;

namespace Ipvsctl.Ipvsadm;

/// <summary>Runs "/sbin/modprobe -- ip_vs" as ipvsadm does when IPVS is missing, its output passed through.</summary>
internal static class ModuleProbe
{
    public static void Run(TextWriter stderr)
    {
        try
        {
            using Stream error = Console.OpenStandardError();
            Cli.Wrap("/sbin/modprobe").WithArguments(["--", "ip_vs"])
                .WithValidation(CommandResultValidation.None)
                .WithStandardOutputPipe(PipeTarget.ToStream(error))
                .WithStandardErrorPipe(PipeTarget.ToStream(error))
                .ExecuteAsync().GetAwaiter().GetResult();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No modprobe: ipvsadm's child fails the same way, silently, and the second attempt reports the kernel.
        }
        catch (InvalidOperationException)
        {
        }
        stderr.Flush();
    }
}
