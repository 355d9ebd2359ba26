// rules-bench: the service-rules benchmark of issue 12, driven by tools/bench/rules/run. Every measurement runs in
// network namespaces it creates (ip netns add, lo up) and deletes when done, and goes through IServiceRulesBackend
// only, so it measures whichever backends are built in. Prints one line per sample; run turns them into medians.
//
//   rules-bench change iptables|nftables SERVICES REPEATS
//       Installs SERVICES services with the whole Apply, then times REPEATS virtual-IP add+delete pairs, each through
//       Apply(ServiceRuleChange). Prints "change KIND SERVICES: add_delete_s=... add_s=... delete_s=...".
//   rules-bench full SERVICES RUNS
//       Per run, in two fresh namespaces: the iptables backend's whole Apply (timed in this process) and
//       iptables-restore --noflush of the linear-chain text this program writes (timed as a whole process, started
//       through nsenter like the backend starts its own). Prints "full backend: apply_s=..." and "full restore: restore_s=...".
//   rules-bench rate none|empty|linear|iptables|nftables SERVICES SECONDS CLIENTS
//       Two namespaces joined by a veth pair; the rules in the server's (nothing; the linear chain's chains and jumps
//       without a virtual IP, so conntrack and the nat hooks without rules to walk; the linear chain, both through
//       iptables-restore; or a backend's Apply); a TCP server there, and CLIENTS threads in the client's namespace
//       opening and resetting connections to it for SECONDS. Prints "rate CASE: conn_per_s=...".
//   rules-bench linear SERVICES
//       Prints the linear chain's iptables-restore input that full and rate install.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Netlink;
using ServiceProxy.Rules;

const string Usage = """
    usage: rules-bench change iptables|nftables SERVICES REPEATS
           rules-bench full SERVICES RUNS
           rules-bench rate none|empty|linear|iptables|nftables SERVICES SECONDS CLIENTS
           rules-bench linear SERVICES
    """;

try
{
    switch (args)
    {
        case ["change", string kind, string services, string repeats]:
            Measure.Change(Backend(kind), Number(services), Number(repeats));
            return 0;
        case ["full", string services, string runs]:
            Measure.Full(Number(services), Number(runs));
            return 0;
        case ["linear", string services]:
            Console.Write(LinearChain.RestoreInput(Services.Set(Number(services))));
            return 0;
        case ["rate", "none" or "empty" or "linear" or "iptables" or "nftables", string services, string seconds, string clients]:
            Measure.Rate(args[1], Number(services), Number(seconds), Number(clients));
            return 0;
        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }
}
catch (BenchException e)
{
    Console.Error.WriteLine($"rules-bench: {e.Message}");
    return 1;
}
#pragma warning disable CA1031 // Any failure: caught so that the usings above it run and delete the namespaces, which an unhandled exception would skip.
catch (Exception e)
#pragma warning restore CA1031
{
    Console.Error.WriteLine($"rules-bench: {e}");
    return 1;
}

static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);

static ServiceRulesBackendKind Backend(string name) => name switch
{
    "iptables" => ServiceRulesBackendKind.Iptables,
    "nftables" => ServiceRulesBackendKind.Nftables,
    _ => throw new BenchException($"no backend '{name}': iptables or nftables"),
};

/// <summary>The three measurements.</summary>
internal static class Measure
{
    public static void Change(ServiceRulesBackendKind kind, int services, int repeats)
    {
        using var ns = Namespace.Fresh("change");
        using IServiceRulesBackend backend = ServiceRulesBackend.Create(kind, new ServiceRulesOptions { Namespace = ns.Handle });
        ServiceRuleSet installed = Services.Set(services);
        backend.Apply(installed);

        // One untimed round that reads the rules back, so a backend that times well because it changed nothing fails
        // here instead; it also leaves first-use costs (the first nft message, the first program start) out of the samples.
        ServiceRuleSet plus = installed with { VirtualIps = [.. installed.VirtualIps, Services.ExtraVip(repeats)] };
        backend.Apply(ServiceRuleChange.Between(installed, plus));
        Check(backend, plus, "after adding a virtual IP");
        backend.Apply(ServiceRuleChange.Between(plus, installed));
        Check(backend, installed, "after removing it again");

        string label = kind == ServiceRulesBackendKind.Iptables ? "iptables" : "nftables";
        // Every difference is computed before the first timed apply, and timed on its own: Between normalizes (sorts)
        // both whole sets, which is the caller's work and grows with the number of services; done between timed
        // applies it would also leave them a cache it had just filled with 10,000 services, charging the backend for
        // the caller's walk. The timed loop is the backend's work alone, as the issue defines the ratio.
        var changes = new List<(ServiceRuleChange Add, ServiceRuleChange Delete, double DiffSeconds)>();
        for (int repeat = 0; repeat < repeats; repeat++)
        {
            ServiceRuleSet wanted = installed with { VirtualIps = [.. installed.VirtualIps, Services.ExtraVip(repeat)] };
            long diffStart = Stopwatch.GetTimestamp();
            ServiceRuleChange add = ServiceRuleChange.Between(installed, wanted);
            double diff = Seconds(diffStart, Stopwatch.GetTimestamp());
            changes.Add((add, ServiceRuleChange.Between(wanted, installed), diff));
        }
        foreach ((ServiceRuleChange add, ServiceRuleChange delete, double diff) in changes)
        {
            long start = Stopwatch.GetTimestamp();
            backend.Apply(add);
            long added = Stopwatch.GetTimestamp();
            backend.Apply(delete);
            long end = Stopwatch.GetTimestamp();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"change {label} {services}: add_delete_s={Seconds(start, end):F6} add_s={Seconds(start, added):F6} delete_s={Seconds(added, end):F6} between_s={diff:F6}"));
        }
        Check(backend, installed, $"after {repeats} additions and removals");
    }

    public static void Full(int services, int runs)
    {
        ServiceRuleSet set = Services.Set(services);
        string restoreInput = LinearChain.RestoreInput(set);
        string nsenter = Programs.Find("nsenter");
        string restore = Programs.Find("iptables-restore");

        // Untimed: the backend's first Apply in this process (and the first nsenter/iptables start) on a small set.
        using (var warm = Namespace.Fresh("warm"))
        using (IServiceRulesBackend backend = ServiceRulesBackend.Create(ServiceRulesBackendKind.Iptables, new ServiceRulesOptions { Namespace = warm.Handle }))
        {
            backend.Apply(Services.Set(10));
        }

        for (int run = 0; run < runs; run++)
        {
            // Each goes first in every other run, so neither always follows the other's namespace teardown.
            if (run % 2 == 0)
            {
                FullApply(set);
                FullRestore(nsenter, restore, restoreInput, services);
            }
            else
            {
                FullRestore(nsenter, restore, restoreInput, services);
                FullApply(set);
            }
        }
    }

    private static void FullApply(ServiceRuleSet set)
    {
        using var ns = Namespace.Fresh("full");
        using IServiceRulesBackend backend = ServiceRulesBackend.Create(ServiceRulesBackendKind.Iptables, new ServiceRulesOptions { Namespace = ns.Handle });
        long start = Stopwatch.GetTimestamp();
        backend.Apply(set);
        long end = Stopwatch.GetTimestamp();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"full backend: apply_s={Seconds(start, end):F6}"));
        Check(backend, set, "after the whole apply");
    }

    private static void FullRestore(string nsenter, string restore, string restoreInput, int services)
    {
        using var ns = Namespace.Fresh("restore");
        long start = Stopwatch.GetTimestamp();
        Programs.Run(nsenter, ["--net=" + ns.Handle.PathForOtherProcesses, restore, "--noflush", "--wait=10"], restoreInput);
        long end = Stopwatch.GetTimestamp();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"full restore: restore_s={Seconds(start, end):F6}"));
        CheckLinearChain(ns, services);
    }

    public static void Rate(string rules, int services, int seconds, int clients)
    {
        using var server = Namespace.Fresh("server");
        using var client = Namespace.Fresh("client");
        Namespace.Link(client, Traffic.ClientAddress, server, Traffic.ServerAddress);
        ServiceRuleSet set = Services.Set(services);
        switch (rules)
        {
            case "linear" or "empty":
                int vips = rules == "linear" ? services : 0;
                Programs.Run(Programs.Find("nsenter"),
                    ["--net=" + server.Handle.PathForOtherProcesses, Programs.Find("iptables-restore"), "--noflush", "--wait=10"],
                    LinearChain.RestoreInput(Services.Set(vips)));
                CheckLinearChain(server, vips);
                break;
            case "iptables" or "nftables":
                using (IServiceRulesBackend backend = ServiceRulesBackend.Create(Backend(rules), new ServiceRulesOptions { Namespace = server.Handle }))
                {
                    backend.Apply(set);
                    Check(backend, set, "after installing");
                }
                break;
            default:
                break;
        }
        Traffic.Result result = Traffic.Run(server.Handle, client.Handle, TimeSpan.FromSeconds(seconds), clients);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rate {rules}: conn_per_s={result.Connections / result.Seconds:F0} connections={result.Connections} errors={result.Errors} seconds={result.Seconds:F3} clients={clients}"));
        if (result.Errors > result.Connections / 100)
        {
            throw new BenchException($"{result.Errors} of {result.Connections + result.Errors} connections failed with {rules} rules: {result.FirstError}");
        }
    }

    private static ServiceRulesBackendKind Backend(string name) =>
        name == "iptables" ? ServiceRulesBackendKind.Iptables : ServiceRulesBackendKind.Nftables;

    private static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;

    /// <summary>
    /// Throws unless <paramref name="backend"/> reads back <paramref name="wanted"/>. A mismatch is read again, up to
    /// five times 100 ms apart: on this machine (kernel 6.18) the nftables backend's read, right after a whole apply of
    /// 10,000 services, sometimes lists a thousand elements fewer than the next read does. Such a read is reported on
    /// stderr and does not stop the bench; rules that never read back as applied do.
    /// </summary>
    private static void Check(IServiceRulesBackend backend, ServiceRuleSet wanted, string when)
    {
        ServiceRuleSet? first = backend.Read();
        if (first is not null && first.Equals(wanted))
        {
            return;
        }
        for (int again = 1; again <= 5; again++)
        {
            Thread.Sleep(100);
            if (backend.Read() is { } read && read.Equals(wanted))
            {
                Console.Error.WriteLine($"rules-bench: warning: the {backend.Kind} rules read back {when} showed {Count(first)} virtual IPs of {wanted.VirtualIps.Count}; read {again} more time(s), they showed all");
                return;
            }
        }
        throw new BenchException($"the {backend.Kind} rules read back {when} are not the ones applied: {Count(first)} virtual IPs of {wanted.VirtualIps.Count}, and the same after 5 more reads");

        static string Count(ServiceRuleSet? set) => set is null ? "no rules, no" : set.VirtualIps.Count.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>That the restore installed the whole chain: iptables-restore exits 0 on input it ignored, too.</summary>
    private static void CheckLinearChain(Namespace ns, int services)
    {
        string saved = Programs.Run(Programs.Find("nsenter"),
            ["--net=" + ns.Handle.PathForOtherProcesses, Programs.Find("iptables-save"), "-t", "nat"], null).StandardOutput;
        int rules = saved.Split('\n').Count(line => line.StartsWith($"-A {LinearChain.Services} -d ", StringComparison.Ordinal));
        if (rules != services)
        {
            throw new BenchException($"iptables-restore installed {rules} virtual IP rules of {services}");
        }
    }
}

/// <summary>The services: TCP virtual IPs on port 80 from 198.18.0.1 up, a few TCP node ports, a cluster CIDR.</summary>
internal static class Services
{
    public const int NodePorts = 5;
    public const ushort FirstNodePort = 30000;
    public const string ClusterCidr = "10.244.0.0/16";

    /// <summary>198.18.0.1 and up: 10,000 services reach 198.18.39.16, well inside 198.18.0.0/15.</summary>
    private const uint FirstVip = 0xC6120001;

    /// <summary>198.19.128.0 and up, for the virtual IPs that come and go: never one of the installed ones.</summary>
    private const uint FirstExtraVip = 0xC6138000;

    public static ServiceRuleSet Set(int services) => new()
    {
        VirtualIps = [.. Enumerable.Range(0, services).Select(i => Vip(FirstVip + (uint)i))],
        NodePorts = [.. Enumerable.Range(0, NodePorts).Select(i => new NodePort(ServiceProtocol.Tcp, (ushort)(FirstNodePort + i)))],
        ClusterCidrs = [IPNetwork.Parse(ClusterCidr)],
    };

    public static VirtualIp ExtraVip(int index) => Vip(FirstExtraVip + (uint)index);

    public static IPAddress Address(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    private static VirtualIp Vip(uint address) => new(Address(address), ServiceProtocol.Tcp, 80);
}

/// <summary>
/// The iptables rules as the iptables backend wrote them before issue 12, written here rather than taken from the
/// backend so that the reference stays put while the backend changes: one rule per virtual IP in the nat table's
/// IPVSD-SERVICES, walked in order by every new connection, and the chains and jumps around it.
/// </summary>
internal static class LinearChain
{
    public const string Services = "IPVSD-SERVICES";
    private const string VirtualIp = "IPVSD-VIRTUAL-IP";
    private const string MarkMasquerade = "IPVSD-MARK-MASQ";
    private const string Postrouting = "IPVSD-POSTROUTING";

    public static string RestoreInput(ServiceRuleSet set)
    {
        string clusterCidr = global::Services.ClusterCidr;
        var text = new StringBuilder();
        text.Append("*nat\n");
        foreach (string chain in new[] { Services, VirtualIp, MarkMasquerade, Postrouting })
        {
            text.Append(':').Append(chain).Append(" - [0:0]\n");
        }
        foreach (VirtualIp vip in set.VirtualIps)
        {
            text.Append(CultureInfo.InvariantCulture, $"-A {Services} -d {vip.Address}/32 -p tcp -m tcp --dport {vip.Port} -j {VirtualIp}\n");
        }
        foreach (NodePort port in set.NodePorts)
        {
            text.Append(CultureInfo.InvariantCulture, $"-A {Services} -p tcp -m tcp --dport {port.Port} -m addrtype --dst-type LOCAL -j {MarkMasquerade}\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"-A {VirtualIp} ! -s {clusterCidr} -j {MarkMasquerade}\n");
        text.Append(CultureInfo.InvariantCulture, $"-A {MarkMasquerade} -j MARK --or-mark 0x{set.MasqueradeMark:x}\n");
        text.Append(CultureInfo.InvariantCulture, $"-A {Postrouting} -m mark --mark 0x{set.MasqueradeMark:x}/0x{set.MasqueradeMark:x} -j MASQUERADE\n");
        text.Append(CultureInfo.InvariantCulture, $"-I PREROUTING -m comment --comment \"ipvsd service traffic\" -j {Services}\n");
        text.Append(CultureInfo.InvariantCulture, $"-I OUTPUT -m comment --comment \"ipvsd service traffic\" -j {Services}\n");
        text.Append(CultureInfo.InvariantCulture, $"-I POSTROUTING -m comment --comment \"ipvsd masquerade marked traffic\" -j {Postrouting}\n");
        text.Append("COMMIT\n");
        // The filter chains the backend declares too; empty, as they are for these services, so only their jumps act.
        text.Append("*filter\n:IPVSD-FIREWALL - [0:0]\n:IPVSD-IPVS-FILTER - [0:0]\n");
        text.Append("-I INPUT -m comment --comment \"ipvsd load balancer source ranges\" -j IPVSD-FIREWALL\n");
        text.Append("-I OUTPUT -m comment --comment \"ipvsd load balancer source ranges\" -j IPVSD-FIREWALL\n");
        text.Append("-I INPUT -m comment --comment \"ipvsd unknown ports on virtual IPs\" -j IPVSD-IPVS-FILTER\n");
        text.Append("COMMIT\n");
        return text.ToString();
    }
}

/// <summary>New connections from the client namespace to a server in the server namespace, as fast as they go.</summary>
internal static class Traffic
{
    /// <summary>Inside 198.18.0.0/15 like the virtual IPs, but none of them: a new connection walks a linear chain to its end.</summary>
    public static readonly IPAddress ServerAddress = IPAddress.Parse("198.19.255.2");
    public static readonly IPAddress ClientAddress = IPAddress.Parse("198.19.255.1");
    public const int ServerPort = 8080;

    /// <summary>Connections made in the first part of a run are not counted: threads starting, caches filling.</summary>
    private static readonly TimeSpan s_warmUp = TimeSpan.FromMilliseconds(500);

    public sealed record Result(long Connections, long Errors, double Seconds, string? FirstError);

    public static Result Run(NetworkNamespace serverNs, NetworkNamespace clientNs, TimeSpan duration, int clients)
    {
        // A socket stays in the namespace it was made in, so the listener is made on a thread inside the server's
        // namespace and accepted from on a thread of our own.
        using Socket listener = Inside(serverNs, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(ServerAddress, ServerPort));
            socket.Listen(4096);
            return socket;
        });
        using var stop = new CancellationTokenSource();
        var server = new Thread(() => Serve(listener, stop.Token)) { IsBackground = true, Name = "server" };
        server.Start();

        long begin = Stopwatch.GetTimestamp();
        long counted = begin + (long)(s_warmUp.TotalSeconds * Stopwatch.Frequency);
        long end = counted + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var results = new (long Connections, long Errors, string? FirstError)[clients];
        var threads = new Thread[clients];
        for (int i = 0; i < clients; i++)
        {
            int index = i;
            threads[i] = new Thread(() => results[index] = Inside(clientNs, () => Connect(counted, end))) { Name = "client " + i };
            threads[i].Start();
        }
        foreach (Thread thread in threads)
        {
            thread.Join();
        }
        double seconds = (end - counted) / (double)Stopwatch.Frequency;
        stop.Cancel();
        server.Join();
        return new Result(results.Sum(r => r.Connections), results.Sum(r => r.Errors), seconds, results.Select(r => r.FirstError).FirstOrDefault(e => e is not null));
    }

    /// <summary>
    /// Connects and closes with SO_LINGER 0, which resets the connection: no side keeps it in TIME_WAIT, so the
    /// client's ports never run out however long it runs, and each connection costs one handshake and one reset.
    /// </summary>
    private static (long, long, string?) Connect(long counted, long end)
    {
        var server = new IPEndPoint(ServerAddress, ServerPort);
        long connections = 0;
        long errors = 0;
        string? firstError = null;
        while (Stopwatch.GetTimestamp() < end)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.LingerState = new LingerOption(true, 0);
            try
            {
                socket.Connect(server);
                // Counted when made inside the window, so the rate is connections over exactly its length.
                long made = Stopwatch.GetTimestamp();
                if (made >= counted && made < end)
                {
                    connections++;
                }
            }
            catch (SocketException e)
            {
                errors++;
                firstError ??= e.Message;
            }
        }
        return (connections, errors, firstError);
    }

    private static void Serve(Socket listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            // Polled rather than blocked in Accept, so the thread sees the stop within 100 ms.
            if (listener.Poll(TimeSpan.FromMilliseconds(100), SelectMode.SelectRead))
            {
                try
                {
                    using Socket connection = listener.Accept();
                }
                catch (SocketException)
                {
                    // The client reset it first: nothing to do.
                }
            }
        }
    }

    /// <summary>
    /// <see cref="NetworkNamespace.RunInside"/>, with any failure carried back to the caller's thread (RunInside
    /// forwards only netlink and I/O exceptions; a socket's would end the process from the namespace's thread).
    /// </summary>
    private static T Inside<T>(NetworkNamespace ns, Func<T> action)
    {
        (T? Value, Exception? Failure) result = ns.RunInside<(T?, Exception?)>(() =>
        {
            try
            {
                return (action(), null);
            }
            catch (SocketException e)
            {
                return (default, e);
            }
        });
        return result.Failure is not null ? throw new BenchException($"in namespace {ns}: {result.Failure.Message}", result.Failure) : result.Value!;
    }
}

/// <summary>A network namespace of the benchmark's, deleted on dispose.</summary>
internal sealed class Namespace : IDisposable
{
    private static int s_count;

    private Namespace(string name)
    {
        Name = name;
        Handle = NetworkNamespace.FromName(name);
    }

    public string Name { get; }

    public NetworkNamespace Handle { get; }

    /// <summary>A new namespace with loopback up, named after this process so that concurrent runs do not collide.</summary>
    public static Namespace Fresh(string role)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"rulesbench-{role}-{Environment.ProcessId}-{Interlocked.Increment(ref s_count)}");
        Ip("netns", "add", name);
        var ns = new Namespace(name);
        try
        {
            Ip("-n", name, "link", "set", "lo", "up");
        }
        catch (BenchException)
        {
            ns.Dispose();
            throw;
        }
        return ns;
    }

    /// <summary>A veth pair between the two namespaces, each end up with its address in a /24.</summary>
    public static void Link(Namespace a, IPAddress aAddress, Namespace b, IPAddress bAddress)
    {
        Ip("-n", a.Name, "link", "add", "rb0", "type", "veth", "peer", "name", "rb1", "netns", b.Name);
        Ip("-n", a.Name, "address", "add", $"{aAddress}/24", "dev", "rb0");
        Ip("-n", b.Name, "address", "add", $"{bAddress}/24", "dev", "rb1");
        Ip("-n", a.Name, "link", "set", "rb0", "up");
        Ip("-n", b.Name, "link", "set", "rb1", "up");
    }

    public void Dispose() => Ip("netns", "delete", Name);

    private static void Ip(params string[] arguments) => Programs.Run(Programs.Find("ip"), arguments, null);
}

/// <summary>Other programs, run through CliWrap (never a shell), a non-zero exit being a failure.</summary>
internal static class Programs
{
    private static readonly string[] s_directories =
        [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries), "/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>The program's path: PATH first, then the sbin directories a root shell may lack.</summary>
    public static string Find(string program) =>
        s_directories.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists) ?? throw new BenchException($"{program} was not found");

    public static BufferedCommandResult Run(string path, IReadOnlyList<string> arguments, string? input)
    {
        Command command = Cli.Wrap(path).WithArguments(arguments).WithValidation(CommandResultValidation.None);
        if (input is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(input));
        }
        BufferedCommandResult result = command.ExecuteBufferedAsync().GetAwaiter().GetResult();
        return result.ExitCode == 0
            ? result
            : throw new BenchException($"{Path.GetFileName(path)} {string.Join(' ', arguments)} exited with {result.ExitCode}: {result.StandardError.Trim()}");
    }
}

internal sealed class BenchException : Exception
{
    public BenchException()
    {
    }

    public BenchException(string message)
        : base(message)
    {
    }

    public BenchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
