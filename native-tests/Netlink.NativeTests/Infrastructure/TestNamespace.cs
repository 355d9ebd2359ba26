using CliWrap;
using CliWrap.Buffered;
using Netlink;
using Netlink.Route;

namespace Netlink.NativeTests.Infrastructure;

/// <summary>
/// A fresh network namespace made with `ip netns add` for one test, removed on dispose. Only the test ranges
/// 198.18.0.0/15 and 2001:db8::/32 are ever used, and only inside it. Needs root; without it the test fails.
/// </summary>
public sealed class TestNamespace : IDisposable
{
    private static int s_counter;
    private bool _deleted;

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
    /// A <paramref name="role"/> ends the name, so `ip netns list` shows which host of a topology each one plays.
    /// </summary>
    public static TestNamespace Create(bool routeTestRanges = true, string? role = null)
    {
        string name = NextName(role);
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

    /// <summary>
    /// Creates one namespace per role, each with lo up, with a single `ip` process: in the VM every process start
    /// costs most of a second, so a topology of many namespaces is made in batches.
    /// </summary>
    public static IReadOnlyList<TestNamespace> CreateMany(params string[] roles)
    {
        TestNamespace[] made = [.. roles.Select(role => new TestNamespace(NextName(role)))];
        try
        {
            RunIpBatch(made.Select(ns => $"netns add {ns.Name}"));
            foreach (TestNamespace ns in made)
            {
                using RouteClient route = RouteClient.Open(new RouteClientOptions { Namespace = ns.Namespace });
                route.SetLinkUp("lo", true);
            }
        }
        catch
        {
            DeleteMany(made);
            throw;
        }
        return made;
    }

    /// <summary>Deletes namespaces with one `ip` process; their own dispose then does nothing.</summary>
    public static void DeleteMany(IEnumerable<TestNamespace> namespaces)
    {
        TestNamespace[] left = [.. namespaces.Where(ns => !ns._deleted)];
        if (left.Length > 0)
        {
            // -force: a missing one (its creation failed) must not keep the others.
            Cli.Wrap("ip").WithArguments(["-force", "-batch", "-"]).WithStandardInputPipe(PipeSource.FromString(string.Join('\n', left.Select(ns => $"netns delete {ns.Name}")) + "\n"))
                .WithValidation(CommandResultValidation.None).ExecuteAsync().GetAwaiter().GetResult();
            foreach (TestNamespace ns in left)
            {
                ns._deleted = true;
            }
        }
    }

    /// <summary>Runs `ip` commands (one a line, without "ip") in this namespace with one process; throws on the first failure.</summary>
    public void IpBatch(params IEnumerable<string> commands) => RunIpBatch(commands, "-n", Name);

    /// <summary>Runs `ip` commands (one a line, without "ip") in the caller's namespace with one process; throws on the first failure.</summary>
    public static void RunIpBatch(IEnumerable<string> commands, params string[] options)
    {
        string script = string.Join('\n', commands) + "\n";
        BufferedCommandResult result = Cli.Wrap("ip").WithArguments([.. options, "-batch", "-"]).WithStandardInputPipe(PipeSource.FromString(script))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync().GetAwaiter().GetResult();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', options)} -batch exited {result.ExitCode}: {result.StandardError.Trim()}\nbatch:\n{script}");
        }
    }

    /// <summary>Runs a program inside the namespace (`ip netns exec`) and returns its stdout; throws on failure.</summary>
    public string Exec(string program, params string[] arguments) => Run("ip", ["netns", "exec", Name, program, .. arguments]);

    /// <summary>Runs the real ipvsadm here and returns its listing without the kernel's echoed services (<see cref="IpvsadmEchoes"/>).</summary>
    public string Ipvsadm(params string[] arguments) => IpvsadmEchoes.Collapse(Exec("ipvsadm", arguments));

    /// <summary>
    /// Runs a program that needs only the network namespace (ipvsadm, curl) inside it with nsenter --net, and returns
    /// the result without throwing. `ip netns exec` also makes a mount namespace and mounts /sys again, which in the
    /// VM costs ~5 s a start against ~0.6 s (measured on 6.12): a test that runs such a program in a loop needs this.
    /// </summary>
    public BufferedCommandResult TryEnter(string program, params string[] arguments) =>
        Cli.Wrap("nsenter").WithArguments([$"--net=/run/netns/{Name}", program, .. arguments]).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync().GetAwaiter().GetResult();

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

    private static string NextName(string? role) =>
        $"nltest-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}{(role is null ? "" : "-" + role)}";

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
        if (_deleted)
        {
            return;
        }
        _deleted = true;
        Cli.Wrap("ip").WithArguments(["netns", "delete", Name]).WithValidation(CommandResultValidation.None)
            .ExecuteAsync().GetAwaiter().GetResult();
    }
}
