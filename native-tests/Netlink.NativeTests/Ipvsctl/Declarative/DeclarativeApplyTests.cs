using System.Net;
using CliWrap.Buffered;
using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsctl.Declarative;

/// <summary>
/// The published ipvsctl's declarative mode against a real kernel, checked with ipvsadm and the library. Each test
/// has its own namespace, so its IPVS table starts empty and meets no other.
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class DeclarativeApplyTests : IDisposable
{
    private const string Model = """
        defaults: { port: 80, forward: nat }
        services:
          - address: tcp://198.18.0.1
            sched: wrr
            persistent: 600
            netmask: 255.255.255.0
            destinations:
              - address: 198.19.0.1:8080
                weight: 3
                upper-threshold: 100
                lower-threshold: 10
              - address: 198.19.0.2:8080
                weight: 1
                forward: direct
          - address: udp://[2001:db8::53]:53
            sched: sh
            flags: [sh-port, one-packet]
            destinations:
              - address: "[2001:db8::1:1]"
                weight: 1
          - address: fwmark:7
            destinations:
              - address: 198.19.0.9:0
                weight: 2
                forward: tunnel
        """;

    private static readonly string[] ModelSaved =
    [
        .. new[]
        {
            "-A -t 198.18.0.1:80 -s wrr -p 600 -M 255.255.255.0",
            "-a -t 198.18.0.1:80 -r 198.19.0.1:8080 -m -w 3",
            "-a -t 198.18.0.1:80 -r 198.19.0.2:8080 -g -w 1",
            "-A -u [2001:db8::53]:53 -s sh -o -b sh-port",
            "-a -u [2001:db8::53]:53 -r [2001:db8::1:1]:53 -m -w 1",
            "-A -f 7 -s rr",
            "-a -f 7 -r 198.19.0.9:0 -i -w 2 --tun-type ipip",
        }.Order(StringComparer.Ordinal),
    ];

    private readonly TestNamespace _ns = TestNamespace.Create();

    public void Dispose() => _ns.Dispose();

    [Fact]
    public void Apply_IpvsadmAndTheLibrary_SeeTheModel()
    {
        Assert.Equal("", IpvsctlProcess.Ok(_ns, Model, "apply", "-f", "-"));
        Assert.Equal(ModelSaved, IpvsctlProcess.Saved(_ns));
        using IpvsClient ipvs = IpvsClient.Open(new IpvsClientOptions { Namespace = _ns.Namespace });
        VirtualService web = ipvs.GetService(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80))!.Settings;
        Assert.Equal(("wrr", 600u, 0xFFFFFF00u), (web.Scheduler, web.PersistenceTimeout, web.EffectiveNetmask.Ipv4Mask));
        RealServer first = ipvs.ListRealServers(web.Key).Select(s => s.Settings).Single(s => s.Port == 8080 && s.Address.Equals(IPAddress.Parse("198.19.0.1")));
        Assert.Equal((100u, 10u), (first.UpperThreshold, first.LowerThreshold));
    }

    [Fact]
    public void ApplyTwice_TheSecondChangesetIsEmpty_AndTheTableStays()
    {
        IpvsctlProcess.Ok(_ns, Model, "apply", "-f", "-");
        Assert.Equal("{}\n", IpvsctlProcess.Ok(_ns, Model, "changeset", "-f", "-"));
        Assert.Equal("", IpvsctlProcess.Ok(_ns, Model, "-v", "apply", "-f", "-"));
        Assert.Equal(ModelSaved, IpvsctlProcess.Saved(_ns));
    }

    [Fact]
    public void ModelFile_ByPath_Works()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ipvsctl-model-{Environment.ProcessId}-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Model);
        try
        {
            IpvsctlProcess.Ok(_ns, null, "apply", "-f", path);
            Assert.Equal(ModelSaved, IpvsctlProcess.Saved(_ns));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SchedulerAndWeightChanges_AreEdits_NotDeleteAndAdd()
    {
        IpvsctlProcess.Ok(_ns, Model, "apply", "-f", "-");
        string changed = Model.Replace("sched: wrr", "sched: lc", StringComparison.Ordinal).Replace("weight: 3", "weight: 7", StringComparison.Ordinal);
        string changeset = IpvsctlProcess.Ok(_ns, changed, "changeset", "-f", "-");
        Assert.Equal(["update-service", "update-destination"], TypesOf(changeset));
        Assert.Contains("scheduler wrr -> lc", changeset, StringComparison.Ordinal);
        Assert.Contains("weight 3 -> 7", changeset, StringComparison.Ordinal);

        IpvsctlProcess.Ok(_ns, changed, "apply", "-f", "-");
        string[] saved = IpvsctlProcess.Saved(_ns);
        Assert.Contains("-A -t 198.18.0.1:80 -s lc -p 600 -M 255.255.255.0", saved);
        Assert.Contains("-a -t 198.18.0.1:80 -r 198.19.0.1:8080 -m -w 7", saved);
        Assert.Equal("{}\n", IpvsctlProcess.Ok(_ns, changed, "changeset", "-f", "-"));
    }

    [Fact]
    public void KeepWeights_LeavesAWeightSetByHand()
    {
        IpvsctlProcess.Ok(_ns, Model, "apply", "-f", "-");
        _ns.Exec("ipvsadm", "-e", "-t", "198.18.0.1:80", "-r", "198.19.0.1:8080", "-m", "-w", "42");
        IpvsctlProcess.Ok(_ns, Model, "apply", "--keep-weights", "-f", "-");
        Assert.Contains("-a -t 198.18.0.1:80 -r 198.19.0.1:8080 -m -w 42", IpvsctlProcess.Saved(_ns));
        IpvsctlProcess.Ok(_ns, Model, "apply", "-f", "-");
        Assert.Contains("-a -t 198.18.0.1:80 -r 198.19.0.1:8080 -m -w 3", IpvsctlProcess.Saved(_ns));
    }

    [Fact]
    public void EmptyModel_DeletesEverything()
    {
        IpvsctlProcess.Ok(_ns, Model, "apply", "-f", "-");
        IpvsctlProcess.Ok(_ns, "{}", "apply", "-f", "-");
        Assert.Empty(IpvsctlProcess.Saved(_ns));
        Assert.Equal("{}\n", IpvsctlProcess.Ok(_ns, null, "get"));
    }

    [Fact]
    public void Timeouts_AreApplied_AndThenUnchanged()
    {
        IpvsctlProcess.Ok(_ns, "timeouts: { tcp: 1800, udp: 60 }", "apply", "-f", "-");
        Assert.Contains("Timeout (tcp tcpfin udp): 1800 120 60", _ns.Exec("ipvsadm", "-L", "--timeout"), StringComparison.Ordinal);
        Assert.Equal("{}\n", IpvsctlProcess.Ok(_ns, "timeouts: { tcp: 1800, udp: 60 }", "changeset", "-f", "-"));
    }

    internal static string[] TypesOf(string changeset) =>
        [.. changeset.Split('\n').Where(l => l.StartsWith("- type: ", StringComparison.Ordinal)).Select(l => l["- type: ".Length..])];

    internal static void AssertExit(BufferedCommandResult result, int expected) =>
        Assert.True(result.ExitCode == expected, $"expected exit {expected}, got {result.ExitCode}: {result.StandardError}");
}
