using CliWrap;
using CliWrap.Buffered;
using Netlink;

namespace Netlink.NativeTests.Infrastructure;

/// <summary>
/// A fresh network namespace made with `ip netns add` for one test, removed on dispose. Only the test ranges
/// 198.18.0.0/15 and 2001:db8::/32 are ever used, and only inside it. Needs root; without it the test fails.
/// </summary>
public sealed class TestNamespace : IDisposable
{
    private static int s_counter;

    private TestNamespace(string name)
    {
        Name = name;
        Namespace = NetworkNamespace.FromName(name);
    }

    /// <summary>The name `ip netns` knows it by.</summary>
    public string Name { get; }

    /// <summary>The namespace, for opening library sockets inside it.</summary>
    public NetworkNamespace Namespace { get; }

    /// <summary>
    /// Creates the namespace with lo up. With <paramref name="routeTestRanges"/>, also a link "nltest0" routing the
    /// test ranges, which IPVS needs before it accepts masquerade real servers ("address not unicast" otherwise).
    /// </summary>
    public static TestNamespace Create(bool routeTestRanges = true)
    {
        string name = $"nltest-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}";
        Run("ip", "netns", "add", name);
        var ns = new TestNamespace(name);
        try
        {
            ns.Exec("ip", "link", "set", "lo", "up");
            if (routeTestRanges)
            {
                // A dummy link where the kernel has one (Debian's, in the VM); this machine's kernel is built
                // without CONFIG_DUMMY, and an ifb link routes the same way for these tests.
                if (ns.TryExec(null, "ip", "link", "add", "nltest0", "type", "dummy").ExitCode != 0)
                {
                    ns.Exec("ip", "link", "add", "nltest0", "type", "ifb");
                }
                ns.Exec("ip", "link", "set", "nltest0", "up");
                ns.Exec("ip", "route", "add", "198.18.0.0/15", "dev", "nltest0");
                ns.Exec("ip", "-6", "route", "add", "2001:db8::/32", "dev", "nltest0");
            }
        }
        catch
        {
            ns.Dispose();
            throw;
        }
        return ns;
    }

    /// <summary>Runs a program inside the namespace (`ip netns exec`) and returns its stdout; throws on failure.</summary>
    public string Exec(string program, params string[] arguments) => Run("ip", ["netns", "exec", Name, program, .. arguments]);

    /// <summary>Runs the real ipvsadm here and returns its listing without the kernel's echoed services (<see cref="IpvsadmEchoes"/>).</summary>
    public string Ipvsadm(params string[] arguments) => IpvsadmEchoes.Collapse(Exec("ipvsadm", arguments));

    /// <summary>Runs a program inside the namespace with stdin and returns the result without throwing.</summary>
    public BufferedCommandResult TryExec(string? stdin, string program, params string[] arguments)
    {
        Command command = Cli.Wrap("ip").WithArguments(["netns", "exec", Name, program, .. arguments]).WithValidation(CommandResultValidation.None);
        if (stdin is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(stdin));
        }
        return command.ExecuteBufferedAsync().GetAwaiter().GetResult();
    }

    /// <summary>Runs a program in the caller's namespace and returns stdout; throws with its stderr on failure.</summary>
    public static string Run(string program, params string[] arguments)
    {
        BufferedCommandResult result = Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync().GetAwaiter().GetResult();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError.Trim()}");
        }
        return result.StandardOutput;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Cli.Wrap("ip").WithArguments(["netns", "delete", Name]).WithValidation(CommandResultValidation.None)
            .ExecuteAsync().GetAwaiter().GetResult();
    }
}
