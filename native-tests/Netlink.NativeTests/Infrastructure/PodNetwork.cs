using System.Net;

namespace Netlink.NativeTests.Infrastructure;

/// <summary>
/// The seed scenario's hosts, each a network namespace: a client (198.18.1.2/24) and three pods (198.19.N.2/24, N =
/// 1..3, each serving HTTP on port 80) joined by veth pairs to a node that routes between them (198.18.1.1 and
/// 198.19.N.1, ip_forward on): the node is where IPVS, ipvsctl and ipvsd run, the client is where traffic starts.
/// Everything is made in the constructor and removed on dispose (also when the constructor fails halfway), so one
/// topology can serve a whole test class as its fixture.
/// </summary>
public sealed partial class PodNetwork : IDisposable
{
    /// <summary>How many pods there are unless a test asks for more.</summary>
    public const int PodCount = 3;

    /// <summary>The client's address.</summary>
    public static readonly IPAddress ClientAddress = IPAddress.Parse("198.18.1.2");

    /// <summary>The node's address on the client's link: the client's default gateway.</summary>
    public static readonly IPAddress NodeClientSideAddress = IPAddress.Parse("198.18.1.1");

    private readonly List<IDisposable> _owned = [];
    private readonly IReadOnlyList<TestNamespace> _namespaces = [];
    private readonly string _scratch;

    /// <summary>Makes the namespaces, links and routes and starts every pod's HTTP server: the seed's three pods.</summary>
    public PodNetwork()
        : this(PodCount)
    {
    }

    /// <summary>The same with <paramref name="podCount"/> pods (198.19.1.2 to 198.19.N.2).</summary>
    internal PodNetwork(int podCount)
    {
        // In batches, a few `ip` processes in all: each process start costs most of a second in the VM.
        _scratch = Directory.CreateTempSubdirectory("podnet-").FullName;
        try
        {
            _namespaces = TestNamespace.CreateMany(["node", "client", .. Enumerable.Range(1, podCount).Select(n => "pod" + n)]);
            Node = _namespaces[0];
            Client = _namespaces[1];
            Pods = [.. Enumerable.Range(1, podCount).Select(n => Own(new Pod(n, _namespaces[n + 1], _scratch)))];
            var ends = new List<(TestNamespace Host, IPAddress Address, string NodeEnd, IPAddress NodeAddress)>
            {
                (Client, ClientAddress, "client", NodeClientSideAddress),
            };
            ends.AddRange(Pods.Select(p => (p.Namespace, p.Address, p.Name, IPAddress.Parse($"198.19.{p.Number}.1"))));
            TestNamespace.RunIpBatch(ends.Select(e => $"link add eth0 netns {e.Host.Name} type veth peer name {e.NodeEnd} netns {Node.Name}"));
            foreach (var (host, address, _, nodeAddress) in ends)
            {
                host.IpBatch($"addr add {address}/24 dev eth0", "link set eth0 up", $"route add default via {nodeAddress}");
            }
            Node.IpBatch(ends.SelectMany(e => new[] { $"addr add {e.NodeAddress}/24 dev {e.NodeEnd}", $"link set {e.NodeEnd} up" }));
            // /proc/sys/net shows the namespace of the thread that opens it.
            Node.Namespace.RunInside(() =>
            {
                File.WriteAllText("/proc/sys/net/ipv4/ip_forward", "1");
                return true;
            });
            foreach (Pod pod in Pods)
            {
                pod.LaunchHttp();
            }
            foreach (Pod pod in Pods)
            {
                pod.WaitUntilServing();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Where requests start.</summary>
    public TestNamespace Client { get; } = null!;

    /// <summary>The load balancer's host.</summary>
    public TestNamespace Node { get; } = null!;

    /// <summary>pod1, pod2, pod3 (and more when asked for).</summary>
    public IReadOnlyList<Pod> Pods { get; } = [];

    /// <summary>Starts a long-running program (ipvsd, say) in the node namespace; it is killed on dispose at the latest.</summary>
    public BackgroundProgram StartInNode(string program, params string[] arguments) => Own(BackgroundProgram.Start(Node, program, arguments));

    /// <summary>Stops every server and program, then removes the namespaces and files.</summary>
    public void Dispose()
    {
        // Programs first: a namespace that a process still runs in outlives its name. One failure must not leave
        // the rest behind, so each is tried and the failures reported together.
        var failures = new List<Exception>();
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            try
            {
                _owned[i].Dispose();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }
        _owned.Clear();
        try
        {
            TestNamespace.DeleteMany(_namespaces);
        }
        catch (Exception e)
        {
            failures.Add(e);
        }
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
        if (failures.Count > 0)
        {
            throw new AggregateException("removing the pod network", failures);
        }
    }

    private T Own<T>(T thing)
        where T : IDisposable
    {
        _owned.Add(thing);
        return thing;
    }
}
