using CliWrap.Buffered;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsctl.Declarative;

/// <summary>What must change nothing (invalid models, refused actions), and a kernel refusal midway that a re-run repairs.</summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class DeclarativeRefusalTests : IDisposable
{
    private const string Start = """
        services:
          - address: tcp://198.18.0.1:80
            destinations:
              - { address: 198.19.0.1:80, weight: 1, forward: nat }
        """;

    private readonly TestNamespace _ns = TestNamespace.Create();

    public DeclarativeRefusalTests() => IpvsctlProcess.Ok(_ns, Start, "apply", "-f", "-");

    public void Dispose() => _ns.Dispose();

    [Fact]
    public void InvalidModel_Validate32_Apply32_NothingChanges()
    {
        string[] before = IpvsctlProcess.Saved(_ns);
        const string invalid = """
            services:
              - address: tcp://198.18.0.2:80
                sched: xrr
              - address: tcp://198.18.0.1:80
                destinations:
                  - { address: 198.19.0.1:80, weight: 70000 }
            """;
        BufferedCommandResult validate = IpvsctlProcess.Run(_ns, invalid, "validate", "-f", "-");
        DeclarativeApplyTests.AssertExit(validate, 32);
        Assert.Equal(2, validate.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("unknown scheduler 'xrr'", validate.StandardError, StringComparison.Ordinal);
        DeclarativeApplyTests.AssertExit(IpvsctlProcess.Run(_ns, invalid, "apply", "-f", "-"), 32);
        DeclarativeApplyTests.AssertExit(IpvsctlProcess.Run(_ns, "services: [ {", "apply", "-f", "-"), 30);
        DeclarativeApplyTests.AssertExit(IpvsctlProcess.Run(_ns, "services: [ { address: 'tcp://${env.NO_SUCH_VIP}:80' } ]", "--params-env", "apply", "-f", "-"), 35);
        Assert.Equal(before, IpvsctlProcess.Saved(_ns));
    }

    [Fact]
    public void AllowedActions_MissingOne_RefusesTheWholePlan()
    {
        string[] before = IpvsctlProcess.Saved(_ns);
        const string grown = """
            services:
              - address: tcp://198.18.0.1:80
                destinations:
                  - { address: 198.19.0.1:80, weight: 1, forward: nat }
                  - { address: 198.19.0.2:80, weight: 1, forward: nat }
              - address: tcp://198.18.0.2:80
            """;
        BufferedCommandResult refused = IpvsctlProcess.Run(_ns, grown, "apply", "--allowed-actions=ad", "-f", "-");
        DeclarativeApplyTests.AssertExit(refused, 31);
        Assert.Contains("not allowed by --allowed-actions: add virtual service TCP 198.18.0.2:80", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, IpvsctlProcess.Saved(_ns));

        IpvsctlProcess.Ok(_ns, grown, "apply", "--allowed-actions=as,ad", "-f", "-");
        Assert.Equal(4, IpvsctlProcess.Saved(_ns).Length); // two services, two real servers
    }

    [Fact]
    public void KernelRefusal_Midway_NamesTheStep_StopsThere_AndARerunRepairs()
    {
        // The validator takes any IPv4 address; the kernel refuses a real server at a multicast one (not unicast).
        const string broken = """
            services:
              - address: tcp://198.18.0.1:80
                destinations:
                  - { address: 198.19.0.1:80, weight: 1, forward: nat }
                  - { address: 198.19.0.5:80, weight: 1, forward: nat }
                  - { address: 239.255.0.1:80, weight: 1, forward: nat }
                  - { address: 198.19.0.7:80, weight: 1, forward: nat }
            """;
        BufferedCommandResult failed = IpvsctlProcess.Run(_ns, broken, "apply", "-f", "-");
        DeclarativeApplyTests.AssertExit(failed, 31);
        Assert.Contains("apply failed at step 2 of 3: add real server 239.255.0.1:80 to TCP 198.18.0.1:80", failed.StandardError, StringComparison.Ordinal);
        string[] after = IpvsctlProcess.Saved(_ns);
        Assert.Contains("-a -t 198.18.0.1:80 -r 198.19.0.5:80 -m -w 1", after);
        Assert.DoesNotContain(after, l => l.Contains("198.19.0.7", StringComparison.Ordinal)); // nothing after the refused step

        string fixedModel = broken.Replace("239.255.0.1", "198.19.0.6", StringComparison.Ordinal);
        Assert.Equal(["add-destination", "add-destination"], DeclarativeApplyTests.TypesOf(IpvsctlProcess.Ok(_ns, fixedModel, "changeset", "-f", "-")));
        IpvsctlProcess.Ok(_ns, fixedModel, "apply", "-f", "-");
        Assert.Equal("{}\n", IpvsctlProcess.Ok(_ns, fixedModel, "changeset", "-f", "-"));
        Assert.Equal(5, IpvsctlProcess.Saved(_ns).Length);
    }
}
