namespace Ipvsctl.Ipvsadm;

/// <summary>
/// Runs "/sbin/modprobe -- ip_vs" as ipvsadm does when IPVS is missing: the child writes straight to our standard
/// output and error (ipvsadm's users see modprobe's own message) and gets our environment (MODPROBE_OPTIONS and
/// the like reach it). Not through CliWrap: it always gives the child pipes and pumps them, and cannot hand the child
/// our own descriptors; see <see cref="ChildProgram"/> for why not through Process either.
/// </summary>
internal static class ModuleProbe
{
    /// <summary>True when modprobe succeeded (ipvsadm only tries IPVS again then).</summary>
    public static bool Run(TextWriter stderr)
    {
        stderr.Flush();
        // No modprobe, or one that fails: ipvsadm's child fails the same way, silently.
        return ChildProgram.RunToSuccess("/sbin/modprobe", "--", "ip_vs");
    }
}
