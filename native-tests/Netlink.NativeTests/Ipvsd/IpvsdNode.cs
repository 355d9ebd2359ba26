using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsd;

/// <summary>
/// A node for ipvsd: a fresh network namespace (test ranges routed, so masquerade real servers are accepted), or the
/// node of a <see cref="PodNetwork"/>, and a scratch directory holding ipvsd.yaml, a services directory and the state
/// directory. A borrowed namespace is cleaned with ipvsd --cleanup on dispose, so the next test finds it empty.
/// </summary>
public sealed class IpvsdNode : IDisposable
{
    private readonly bool _ownsNamespace;

    /// <summary>A node whose ipvsd.yaml holds <paramref name="source"/> (the services directory unless told), the state directory and <paramref name="settings"/>.</summary>
    public IpvsdNode(string settings = "", TestNamespace? borrowed = null, string source = "services: services\n")
    {
        _ownsNamespace = borrowed is null;
        Namespace = borrowed ?? TestNamespace.Create();
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ipvsd-test-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(ServicesDirectory);
        Config = System.IO.Path.Combine(Directory, "ipvsd.yaml");
        File.WriteAllText(Config, $"{source}state-directory: state\n{settings}");
    }

    public TestNamespace Namespace { get; }

    public string Directory { get; }

    public string ServicesDirectory => System.IO.Path.Combine(Directory, "services");

    public string StateDirectory => System.IO.Path.Combine(Directory, "state");

    public string Config { get; }

    /// <summary>Writes a services file as editors and config tools do: a hidden temporary file, then a rename.</summary>
    public void WriteServices(string name, string yaml)
    {
        string temporary = System.IO.Path.Combine(ServicesDirectory, $".{name}.tmp");
        File.WriteAllText(temporary, yaml);
        File.Move(temporary, System.IO.Path.Combine(ServicesDirectory, name), overwrite: true);
    }

    public void DeleteServices(string name) => File.Delete(System.IO.Path.Combine(ServicesDirectory, name));

    public IpvsdProcess Start() => IpvsdProcess.Start(Namespace, Config);

    /// <summary>Starts ipvsd by nsenter, seconds sooner in the VM (<see cref="IpvsdProcess.StartEntered"/>).</summary>
    public IpvsdProcess StartEntered() => IpvsdProcess.StartEntered(Namespace, Config);

    /// <summary>Runs ipvsd to completion with <paramref name="arguments"/> (--once, --cleanup, --dry-run).</summary>
    public BufferedCommandResult Run(params string[] arguments) =>
        Cli.Wrap("ip").WithArguments(["netns", "exec", Namespace.Name, PublishedBinaries.PathOf("ipvsd"), "--config", Config, .. arguments])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync().GetAwaiter().GetResult();

    /// <summary>ipvsadm here (the kernel's echoed services left out); with no arguments, the rows of -Ln (<see cref="SeedServices.Rows"/>).</summary>
    public string Ipvsadm(params string[] arguments) =>
        arguments.Length == 0 ? SeedServices.Rows(Namespace.Ipvsadm("-Ln")) : Namespace.Ipvsadm(arguments);

    /// <summary>ipvsadm here by nsenter (<see cref="TestNamespace.TryEnter"/>: ~0.6 s a start in the VM against ~5 s), without throwing.</summary>
    public BufferedCommandResult QuickIpvsadm(params string[] arguments) => Namespace.TryEnter("ipvsadm", arguments);

    /// <summary>The rows of ipvsadm -Ln as <see cref="Ipvsadm"/> gives them, read by nsenter (<see cref="QuickIpvsadm"/>).</summary>
    public string QuickRows()
    {
        BufferedCommandResult listing = QuickIpvsadm("-Ln");
        Assert.True(listing.ExitCode == 0, $"ipvsadm -Ln failed: {listing.StandardError}");
        return SeedServices.Rows(IpvsadmEchoes.Collapse(listing.StandardOutput));
    }

    /// <summary>A library client in the namespace, for reading large tables quickly.</summary>
    public IpvsClient OpenIpvs() => IpvsClient.Open(new IpvsClientOptions { Namespace = Namespace.Namespace });

    /// <summary>GET http://127.0.0.1:PORT/PATH from inside the namespace (curl by nsenter, which costs a VM a fraction of `ip netns exec`): (status, body).</summary>
    public (int Status, string Body) Get(int port, string path)
    {
        BufferedCommandResult result = Namespace.TryEnter("curl", "-s", "-m", "10", "-w", "\n%{http_code}", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}{path}"));
        Assert.True(result.ExitCode == 0, $"curl :{port}{path} failed ({result.ExitCode}): {result.StandardError}");
        int split = result.StandardOutput.LastIndexOf('\n');
        return (int.Parse(result.StandardOutput[(split + 1)..].Trim(), CultureInfo.InvariantCulture), result.StandardOutput[..split]);
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="describe"/>'s text when it never does.</summary>
    public static void Eventually(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, $"not within {timeout.TotalSeconds} s: {describe()}");
            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        if (_ownsNamespace)
        {
            Namespace.Dispose();
        }
        else
        {
            BufferedCommandResult cleanup = Run("--cleanup");
            Assert.True(cleanup.ExitCode == 0, $"ipvsd --cleanup failed: {cleanup.StandardOutput}{cleanup.StandardError}");
        }
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
