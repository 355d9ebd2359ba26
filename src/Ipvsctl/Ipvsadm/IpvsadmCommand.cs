using System.Diagnostics.CodeAnalysis;
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
        // A kernel without IPVS is an answer here, not an exception: unwinding one costs a visible share of start-up.
        if (!TryOpen(stderr, out OpenedIpvs? opened, out string? failure))
        {
            return Report(CannotInitialize(failure), stdout, stderr);
        }
        using IpvsClient client = opened.Client;
        try
        {
            // Only now: a kernel without IPVS ends the run before anything needs the name or the environment.
            string program = ProgramName.Get();
            bool posixMeHarder = Environment.GetEnvironmentVariable("POSIXLY_CORRECT") is not null
                || Environment.GetEnvironmentVariable("POSIX_ME_HARDER") is not null;
            var session = new IpvsadmSession(client, opened.Info, program, posixMeHarder, stdin, stdout, stderr);
            int result = args.Length == 0 ? session.ListAll(ListFormat.None) : session.ProcessOptions(args, readingStdin: false);
            stdout.Flush();
            return result & 0xFF;
        }
        catch (IpvsadmExit exit)
        {
            return Report(exit, stdout, stderr);
        }
    }

    private static int Report(IpvsadmExit exit, TextWriter stdout, TextWriter stderr)
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

    /// <summary>IPVS opened, with the version and table size ipvs_init read (kept for -L's header, as libipvs keeps ipvs_info).</summary>
    private sealed record OpenedIpvs(IpvsClient Client, IpvsInfo Info);

    /// <summary>
    /// ipvsadm's start: ipvs_init, and when that fails, "/sbin/modprobe -- ip_vs" (its messages reach our standard
    /// error, as ipvsadm lets them) and ipvs_init once more.
    /// </summary>
    private static bool TryOpen(TextWriter stderr, [NotNullWhen(true)] out OpenedIpvs? opened, [NotNullWhen(false)] out string? failure) =>
        // As ipvsadm's "modprobe_ipvs() || ipvs_init()": a failed modprobe ends it with the first reason, a
        // second failure with its own.
        TryInitialize(out opened, out failure) || (ModuleProbe.Run(stderr) && TryInitialize(out opened, out failure));

    /// <summary>libipvs's ipvs_init: resolve IPVS and read its version; the failure in ipvs_strerror's words.</summary>
    private static bool TryInitialize([NotNullWhen(true)] out OpenedIpvs? opened, [NotNullWhen(false)] out string? failure)
    {
        opened = null;
        IpvsClient? client = null;
        try
        {
            if (!IpvsClient.TryOpen(IpvsClientOptions.Default, out client, out _))
            {
                // libipvs then falls back to the raw-socket interface: without privileges the socket itself is refused,
                // with them the kernel has no IPVS socket option either.
                failure = Environment.IsPrivilegedProcess ? "Protocol not available" : KernelMessages.Describe(IpvsCall.Init, Errno.EPERM);
                return false;
            }
            opened = new OpenedIpvs(client, client.GetInfo());
            failure = null;
            return true;
        }
        catch (NetlinkException e)
        {
            client?.Dispose();
            failure = KernelMessages.Describe(IpvsCall.GetInfo, e.ErrorNumber);
            return false;
        }
    }

    private static IpvsadmExit CannotInitialize(string reason) =>
        new(2, $"Can't initialize ipvs: {reason}\nAre you sure that IP Virtual Server is built in the kernel or as module?");
}
