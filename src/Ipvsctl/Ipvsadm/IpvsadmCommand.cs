using Netlink;
using Netlink.Ipvs;

namespace Ipvsctl.Ipvsadm;

/// <summary>
/// ipvsadm 1.31's command line, option for option and byte for byte: opens IPVS first (as ipvsadm does, so even -h
/// reports a kernel without IPVS), then runs one command line, or with -R every line of standard input.
/// </summary>
internal static class IpvsadmCommand
{
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            (IpvsClient client, IpvsInfo info) = Open(stderr);
            using IpvsClient owned = client;
            // Only now: a kernel without IPVS ends the run before anything needs the name or the environment.
            string program = ProgramName.Get();
            bool posixMeHarder = Environment.GetEnvironmentVariable("POSIXLY_CORRECT") is not null
                || Environment.GetEnvironmentVariable("POSIX_ME_HARDER") is not null;
            var session = new IpvsadmSession(client, info, program, posixMeHarder, stdin, stdout, stderr);
            int result = args.Length == 0 ? session.ListAll(ListFormat.None) : session.ProcessOptions(args, readingStdin: false);
            stdout.Flush();
            return result & 0xFF;
        }
        catch (IpvsadmExit exit)
        {
            if (exit.ToStandardOutput)
            {
                stdout.Write(exit.Message);
                stdout.Flush();
            }
            else
            {
                stdout.Flush();
                if (exit.Message.Length > 0)
                {
                    stderr.Write(exit.Message + "\n");
                }
            }
            stderr.Flush();
            return exit.Status & 0xFF;
        }
    }

    /// <summary>
    /// ipvsadm's start: ipvs_init, and when that fails, "/sbin/modprobe -- ip_vs" (its messages reach our standard
    /// error, as ipvsadm lets them) and ipvs_init once more.
    /// </summary>
    private static (IpvsClient Client, IpvsInfo Info) Open(TextWriter stderr)
    {
        if (Initialize(out IpvsClient? client, out IpvsInfo? info) is { } failure)
        {
            // As ipvsadm's "modprobe_ipvs() || ipvs_init()": a failed modprobe ends it with the first reason, a
            // second failure with its own.
            if (!ModuleProbe.Run(stderr) || (failure = Initialize(out client, out info)) is not null)
            {
                throw CannotInitialize(failure);
            }
        }
        return (client!, info!);
    }

    /// <summary>
    /// libipvs's ipvs_init: resolve IPVS and read its version (kept, as libipvs keeps ipvs_info, for -L's header).
    /// Returns null, or the reason it failed in ipvs_strerror's words.
    /// </summary>
    private static string? Initialize(out IpvsClient? client, out IpvsInfo? info)
    {
        client = null;
        info = null;
        try
        {
            client = IpvsClient.Open(new IpvsClientOptions { LoadModule = false });
            info = client.GetInfo();
            return null;
        }
        catch (IpvsUnavailableException)
        {
            client?.Dispose();
            client = null;
            // libipvs then falls back to the raw-socket interface: without privileges the socket itself is refused,
            // with them the kernel has no IPVS socket option either.
            return Environment.IsPrivilegedProcess ? "Protocol not available" : KernelMessages.Describe(IpvsCall.Init, Errno.EPERM);
        }
        catch (NetlinkException e)
        {
            client?.Dispose();
            client = null;
            return KernelMessages.Describe(IpvsCall.GetInfo, e.ErrorNumber);
        }
    }

    private static IpvsadmExit CannotInitialize(string reason) =>
        new(2, $"Can't initialize ipvs: {reason}\nAre you sure that IP Virtual Server is built in the kernel or as module?");
}
