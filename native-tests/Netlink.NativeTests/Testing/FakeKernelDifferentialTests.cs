using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;
using Netlink.NativeTests.IpvsCore;
using Netlink.Testing;

namespace Netlink.NativeTests.Testing;

/// <summary>
/// Keeps <see cref="FakeIpvsKernel"/> honest: <see cref="DifferentialScript"/> runs step by step through IpvsClient
/// against the fake and against this kernel's IPVS in a fresh namespace, and after every step the outcome (success,
/// the errno, or what a read returned) and the whole table as read back must be the same on both.
/// Runs alone: IPVS resumes dumps by position in a table all namespaces share.
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
[Collection(nameof(KernelWideIpvsTable))]
public sealed class FakeKernelDifferentialTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly TestNamespace _ns = TestNamespace.Create();
    private readonly DifferentialTarget _kernel;
    private readonly DifferentialTarget _fake;

    public FakeKernelDifferentialTests(ITestOutputHelper output)
    {
        _output = output;
        (_kernel, _fake) = OpenClients(_ns);
    }

    public void Dispose()
    {
        _fake.Client.Dispose();
        _fake.Raw.Dispose();
        _kernel.Client.Dispose();
        _kernel.Raw.Dispose();
        _ns.Dispose();
    }

    /// <summary>
    /// The one place both clients are made: the real kernel's in the namespace, and a fake of this kernel's version;
    /// each with a second socket on the same IPVS for raw requests.
    /// </summary>
    private static (DifferentialTarget Kernel, DifferentialTarget Fake) OpenClients(TestNamespace ns)
    {
        IpvsClient kernel = IpvsClient.Open(new IpvsClientOptions { Namespace = ns.Namespace });
        NetlinkConnection kernelRaw = NetlinkConnection.Open(NetlinkProtocol.Generic, new NetlinkSocketOptions { Namespace = ns.Namespace });
        var fake = new FakeIpvsKernel(FakeIpvsKernelOptions.ForKernel(Environment.OSVersion.Version));
        return (new DifferentialTarget(kernel, kernelRaw), new DifferentialTarget(fake.OpenClient(), fake.OpenConnection()));
    }

    [Fact]
    public void EveryStep_HasTheSameOutcome_AndLeavesTheSameTable()
    {
        var differences = new List<string>();
        for (int i = 0; i < DifferentialScript.Steps.Count; i++)
        {
            DifferentialStep step = DifferentialScript.Steps[i];
            string onKernel = Outcome(_kernel, step);
            string onFake = Outcome(_fake, step);
            string kernelTable = IpvsTableText.Read(_kernel.Client);
            string fakeTable = IpvsTableText.Read(_fake.Client);
            // The transcript shows which rules this kernel was seen to enforce.
            _output.WriteLine($"{i + 1,3} {step.Name}: kernel {onKernel}, fake {onFake}");
            if (onKernel != onFake)
            {
                differences.Add($"step {i + 1} \"{step.Name}\": kernel {onKernel}, fake {onFake}");
            }
            if (kernelTable != fakeTable)
            {
                differences.Add($"step {i + 1} \"{step.Name}\" (kernel {onKernel}, fake {onFake}) left different tables:\n--- kernel\n{kernelTable}--- fake\n{fakeTable}");
                break; // every later step would differ for this one's sake
            }
        }
        Assert.True(differences.Count == 0, $"the fake differs from Linux {Environment.OSVersion.Version}:\n" + string.Join("\n", differences));
    }

    /// <summary>"ok", "ok: " and what a read returned, or the refusal: its errno (and batch index), or the client's own exception.</summary>
    private static string Outcome(DifferentialTarget target, DifferentialStep step)
    {
        try
        {
            string? read = step.Run(target);
            return read is null ? "ok" : "ok: " + read;
        }
        catch (NetlinkBatchException e)
        {
            return $"{e.ErrorName} at request {e.FailedIndex}";
        }
        catch (NetlinkException e)
        {
            return e.ErrorName;
        }
        catch (ArgumentException e)
        {
            return $"{e.GetType().Name} before sending";
        }
    }
}
