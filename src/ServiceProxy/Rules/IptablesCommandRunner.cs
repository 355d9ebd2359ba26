using System.Globalization;
using Netlink;
using ServiceProxy.Programs;

namespace ServiceProxy.Rules;

/// <summary>
/// Runs the iptables programs through <see cref="ExternalProgram"/>, never a shell: arguments go to the program as they are and restore
/// input goes through a pipe to its stdin. In a network namespace the program runs under <c>nsenter --net=FILE</c>,
/// chosen over <c>ip netns exec</c> because it takes any namespace file (/var/run/netns/NAME, /proc/PID/ns/net, an open
/// descriptor through /proc/self/fd) and does nothing else, where <c>ip netns exec</c> needs a name and also remounts /sys.
/// </summary>
internal sealed class IptablesCommandRunner : IIptablesRunner
{
    /// <summary>How long restore waits for the xtables lock that other iptables users hold while they change rules.</summary>
    private const int LockWaitSeconds = 10;

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(LockWaitSeconds + 50);

    private static readonly string[] s_systemDirectories = ["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/bin", "/bin"];

    private readonly string? _namespaceFile;
    private readonly string _chainPrefix;
    private readonly IReadOnlyList<string> _searchDirectories;

    /// <summary>Finds the programs in <paramref name="searchDirectories"/>, by default PATH then the usual system directories (root's sbin may be missing from PATH).</summary>
    public IptablesCommandRunner(NetworkNamespace? ns, IReadOnlyList<string>? searchDirectories = null, string chainPrefix = "IPVSD-")
    {
        _chainPrefix = chainPrefix;
        _searchDirectories = searchDirectories
            ?? [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(s_systemDirectories)];
        _namespaceFile = ns?.PathForOtherProcesses;
    }

    /// <summary>
    /// One iptables-save of every table: the backend needs nat and filter, and one run is one program start and one read
    /// of the rules, where two -t runs would be two.
    /// </summary>
    public string Save(IptablesFamily family) => Run(family.SaveProgram, [], null, family).StandardOutput;

    public void Restore(IptablesFamily family, string input) => Run(family.RestoreProgram, ["--noflush", $"--wait={LockWaitSeconds}"], input, family);

    private ProgramResult Run(string program, string[] arguments, string? input, IptablesFamily family)
    {
        string path = Find(program) ?? throw new IptablesException(
            $"{program} was not found (looked in {string.Join(", ", _searchDirectories)}): install iptables " +
            "(apt-get install iptables, dnf install iptables-nft), or use the Nftables service rules backend");
        string executable = path;
        if (_namespaceFile is not null)
        {
            executable = Find("nsenter") ?? throw new IptablesException(
                $"nsenter was not found, and running {program} in network namespace {_namespaceFile} needs it: install util-linux");
            arguments = ["--net=" + _namespaceFile, path, .. arguments];
        }
        ProgramResult result;
        try
        {
            result = ExternalProgram.Run(executable, arguments, input, s_timeout);
        }
        catch (ProgramFailedToRunException e)
        {
            throw new IptablesException($"{e.Message}. Look for a hung iptables process holding the xtables lock", e);
        }
        if (result.ExitCode != 0)
        {
            throw IptablesErrors.Failed(program, family, _namespaceFile, result.ExitCode, result.StandardError, input, _chainPrefix);
        }
        return result;
    }

    private string? Find(string program)
    {
        foreach (string directory in _searchDirectories)
        {
            string candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
