namespace Ipvsctl.Ipvsadm;

/// <summary>ipvsadm 1.31's command line, option for option and byte for byte.</summary>
internal static class IpvsadmCommand
{
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        stderr.WriteLine("ipvsctl: ipvsadm mode is not built yet");
        return 1;
    }
}
