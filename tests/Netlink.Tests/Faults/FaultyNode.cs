using Ipvsd.Daemon;
using Netlink.Ipvs;
using Netlink.Testing;
using Netlink.Tests.ServiceProxy.Health;
using Netlink.Tests.ServiceProxy.Reconciling;
using ServiceProxy.Kernel;
using ServiceProxy.Planning;
using ServiceProxy.Reconciling;
using static Netlink.Tests.ServiceProxy.Planning.TableBuilder;

namespace Netlink.Tests.Faults;

/// <summary>
/// A node as ipvsd runs it, on the fake kernel: the reconciler over a <see cref="ReopeningIpvsClient"/> (as
/// NodeSession builds it) whose every socket is a <see cref="FaultyTransport"/>, and the daemon's sync log line
/// (<see cref="SyncLog"/>) for every sync. <see cref="Socket"/> is the socket in use, where a test injects a fault.
/// </summary>
internal sealed class FaultyNode : IDisposable
{
    /// <summary>
    /// A node whose reconciler has ipvsd's options (many requests per send), on a kernel that packs dump datagrams of
    /// at most <paramref name="dumpDatagramSize"/> bytes (small: a few services each, so a fault can fall mid-dump);
    /// its first socket opened now or, without <paramref name="openNow"/>, at the first sync.
    /// </summary>
    public FaultyNode(int dumpDatagramSize = 512, bool openNow = true)
    {
        Kernel = new FakeIpvsKernel(new FakeIpvsKernelOptions { DumpDatagramSize = dumpDatagramSize });
        Client = new ReopeningIpvsClient(Open, openNow ? Open() : null);
        Reconciler = new ServiceReconciler(Client, Store);
    }

    public FakeIpvsKernel Kernel { get; }

    public MemoryOwnershipStore Store { get; } = new();

    public ReopeningIpvsClient Client { get; }

    public ServiceReconciler Reconciler { get; }

    /// <summary>The lines ipvsd's sync loop logs for the syncs (SyncLog), in order.</summary>
    public ListLogger<SyncLoop> DaemonLog { get; } = new();

    /// <summary>The socket the reconciler's client uses now (the latest opened).</summary>
    public FaultyTransport Socket { get; private set; } = null!;

    /// <summary>Sockets opened so far, the first included.</summary>
    public int SocketsOpened { get; private set; }

    private IpvsClient Open()
    {
        var socket = new FaultyTransport(Kernel.OpenSocket());
        Socket = socket;
        SocketsOpened++;
        return IpvsClient.Open(new NetlinkConnection(socket));
    }

    public void Want(params DesiredService[] services) => Reconciler.SetDesired(services, []);

    /// <summary>
    /// Wants <paramref name="count"/> TCP services 198.18.97.N:80, each with two real servers, and returns their
    /// table lines as <see cref="Table"/> shows them.
    /// </summary>
    public IReadOnlyList<string> WantServices(int count, int firstPod = 2)
    {
        var services = Enumerable.Range(1, count)
            .Select(i => Entry(Service(Tcp($"198.18.97.{i}", 80)),
                Server($"198.19.{i}.{firstPod}", 80), Server($"198.19.{i}.{firstPod + 1}", 80)))
            .ToArray();
        Want(services);
        return [.. Enumerable.Range(1, count)
            .Select(i => $"TCP 198.18.97.{i}:80 rr -> 198.19.{i}.{firstPod}:80 w1, 198.19.{i}.{firstPod + 1}:80 w1")
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Whether <paramref name="message"/> asks IPVS for a dump with <paramref name="command"/> (IpvsConstants.Cmd...).</summary>
    public static bool IsDump(SentMessage message, byte command) =>
        message.Has(NetlinkMessageFlags.Dump) && message.Payload.Length >= 4 && message.GenericCommand == command;

    /// <summary>Whether <paramref name="message"/> is a change (not a read) of IPVS.</summary>
    public static bool IsChange(SentMessage message) =>
        message.Type >= NetlinkMessageType.MinimumProtocolType && message.Type != Generic.GenericNetlinkResolver.ControllerId && !message.Has(NetlinkMessageFlags.Dump)
        && message.Payload.Length >= 4 && message.GenericCommand is >= 1 and <= 17 and not (4 or 8 or 11 or 13 or 15);

    /// <summary>One sync, logged as the daemon logs it.</summary>
    public SyncReport Sync(SyncKind kind = SyncKind.Incremental)
    {
        SyncReport report = Reconciler.Sync(kind);
        SyncLog.Write(DaemonLog, report);
        return report;
    }

    /// <summary>One sync that must fail; returns the one error line the daemon logged for it.</summary>
    public string FailingSync(SyncKind kind = SyncKind.Incremental)
    {
        int before = DaemonLog.Lines.Count;
        SyncReport report = Sync(kind);
        Assert.False(report.Succeeded, "the sync was expected to fail");
        LoggedLine line = Assert.Single(DaemonLog.Lines.Skip(before));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, line.Level);
        return line.Message;
    }

    /// <summary>One sync that must succeed.</summary>
    public SyncReport GoodSync(SyncKind kind = SyncKind.Incremental)
    {
        SyncReport report = Sync(kind);
        Assert.True(report.Succeeded, report.Error?.ToString());
        return report;
    }

    /// <summary>The kernel's table as "TCP 198.18.0.1:80 rr -> 198.19.0.1:80 w1, ..." lines, sorted, read on a socket of its own.</summary>
    public IReadOnlyList<string> Table()
    {
        using IpvsClient reader = Kernel.OpenClient();
        return [.. reader.GetTable()
            .Select(e => $"{e.Service.Key} {e.Service.Settings.Scheduler} -> {string.Join(", ", e.RealServers.Select(r => $"{r.Endpoint} w{r.Settings.Weight}").Order(StringComparer.Ordinal))}")
            .Order(StringComparer.Ordinal)];
    }

    public void Dispose() => Client.Dispose();
}
