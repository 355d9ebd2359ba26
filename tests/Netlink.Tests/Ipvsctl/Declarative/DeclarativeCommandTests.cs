using Ipvsctl.Declarative;
using Netlink.Ipvs.Codec;

namespace Netlink.Tests.Ipvsctl.Declarative;

/// <summary>The commands end to end against a scripted kernel: arguments, exit statuses, what reaches the kernel.</summary>
public sealed class DeclarativeCommandTests
{
    private const string Model = """
        services:
          - address: tcp://198.18.0.1:80
            sched: wrr
            destinations:
              - address: 198.19.0.1:8080
                weight: 2
                forward: nat
              - address: 198.19.0.2:8080
                forward: nat
        """;

    private sealed record Result(int ExitCode, string Stdout, string Stderr);

    private static Result Run(EmptyFakeKernel kernel, string stdin, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var environment = new DeclarativeEnvironment
        {
            OpenIpvs = kernel.Open,
            ReadFile = path => path == "model.yaml" ? Model : throw new FileNotFoundException(path),
            EnvironmentVariables = () => [],
            NetworkInterfaces = () => [],
            Sleep = _ => { },
        };
        int exitCode = DeclarativeCommand.Run(args, new StringReader(stdin), stdout, stderr, environment);
        return new Result(exitCode, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Apply_SendsThePlan_AndIsQuiet()
    {
        var kernel = new EmptyFakeKernel();
        Result result = Run(kernel, "", "apply", "-f", "model.yaml");
        Assert.Equal((0, "", ""), (result.ExitCode, result.Stdout, result.Stderr));
        Assert.Equal([IpvsConstants.CmdNewService, IpvsConstants.CmdNewDest, IpvsConstants.CmdNewDest], kernel.Changes);
    }

    [Fact]
    public void Apply_Verbose_SaysWhatItDid_OnStderr()
    {
        Result result = Run(new EmptyFakeKernel(), Model, "-v", "apply", "-f", "-");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("ipvsctl: add destination 198.19.0.2:8080 to service tcp://198.18.0.1:80: not in the IPVS table\n", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_KernelRefusal_IsExit31_NamingTheStep_AndNothingAfterIt()
    {
        var kernel = new EmptyFakeKernel { FailAt = 1 };
        Result result = Run(kernel, "", "apply", "-f=model.yaml");
        Assert.Equal(31, result.ExitCode);
        Assert.Equal(
            "ipvsctl: apply failed at step 2 of 3: add real server 198.19.0.1:8080 to TCP 198.18.0.1:80: Invalid argument (EINVAL): address not unicast; "
            + "the 1 step(s) before it were applied and nothing after it: fix the cause and apply again\n",
            result.Stderr);
        Assert.Equal([IpvsConstants.CmdNewService, IpvsConstants.CmdNewDest], kernel.Changes);
    }

    [Fact]
    public void Apply_NotAllowedActions_AreRefusedBeforeAnythingIsSent()
    {
        var kernel = new EmptyFakeKernel();
        Result result = Run(kernel, "", "apply", "-f", "model.yaml", "--allowed-actions=as,us");
        Assert.Equal(31, result.ExitCode);
        Assert.Empty(kernel.Changes);
        Assert.StartsWith("ipvsctl: not allowed by --allowed-actions: add real server 198.19.0.1:8080 to TCP 198.18.0.1:80\n", result.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("nothing was applied: allow the missing actions or change the model (2 of 3 step(s) refused)\n", result.Stderr, StringComparison.Ordinal);

        Assert.Equal(0, Run(kernel, "", "apply", "-f", "model.yaml", "--allowed-actions", "as,ad").ExitCode);
        Assert.Equal(3, kernel.Changes.Count);
    }

    [Theory]
    [InlineData("apply", "--allowed-actions=inv")]
    [InlineData("apply", "--bogus")]
    [InlineData("apply", "-f")]
    [InlineData("apply", "extra")]
    [InlineData("get", "-o", "xml")]
    [InlineData("changeset", "-o")]
    [InlineData("frobnicate")]
    [InlineData("-v")]
    [InlineData("set", "weight", "70000", "-s", "tcp://198.18.0.1:80", "-d", "198.19.0.1:8080")]
    [InlineData("set", "weight", "-1", "-s", "tcp://198.18.0.1:80", "-d", "198.19.0.1:8080")]
    [InlineData("set", "weight", "5", "-d", "198.19.0.1:8080")]
    [InlineData("set", "weight", "5", "-s", "tcp://198.18.0.1:80")]
    [InlineData("set", "weight", "5", "-s", "tcp:/x", "-d", "198.19.0.1:8080")]
    [InlineData("set", "height", "5", "-s", "tcp://198.18.0.1:80", "-d", "198.19.0.1:8080")]
    [InlineData("set", "weight", "5", "-s", "tcp://198.18.0.1:80", "-d", "198.19.0.1:8080", "-t", "soon")]
    public void BadArguments_AreExit33_BeforeTouchingIpvs(params string[] args)
    {
        var kernel = new EmptyFakeKernel();
        Result result = Run(kernel, "", args);
        Assert.Equal(33, result.ExitCode);
        Assert.Equal(0, kernel.Opens);
        Assert.StartsWith("ipvsctl: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NeverOpensIpvs()
    {
        var kernel = new EmptyFakeKernel();
        Assert.Equal(0, Run(kernel, "", "validate", "-f", "model.yaml").ExitCode);
        Assert.Equal(32, Run(kernel, "services: [ { address: 'tcp://198.18.0.1:80', sched: xrr } ]", "validate", "-f", "-").ExitCode);
        Assert.Equal(0, kernel.Opens);
    }

    [Fact]
    public void Validate_AcceptsAHealthCheck_AndRefusesABadOneWithItsLine()
    {
        const string good = "services:\n  - address: tcp://198.18.0.1:80\n    health-check: { type: http, path: /healthz, interval: 2s, fall: 2 }\n";
        const string bad = "services:\n  - address: tcp://198.18.0.1:80\n    health-check:\n      type: tcp\n      path: /healthz\n";
        Assert.Equal(0, Run(new EmptyFakeKernel(), good, "validate", "-f", "-").ExitCode);
        Result refused = Run(new EmptyFakeKernel(), bad, "validate", "-f", "-");
        Assert.Equal(32, refused.ExitCode);
        Assert.Contains("health-check (line 5): path and status are for type: http", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Verbose_SaysValid()
    {
        Result result = Run(new EmptyFakeKernel(), "", "-v", "validate", "-f", "model.yaml");
        Assert.Equal("Configuration valid.\n", result.Stdout);
    }

    [Theory]
    [InlineData("apply")]
    [InlineData("changeset")]
    [InlineData("validate")]
    public void MissingModelFile_IsExit51(string command)
    {
        Result result = Run(new EmptyFakeKernel(), "", command);
        Assert.Equal(51, result.ExitCode);
        Assert.Equal("ipvsctl: cannot read model /etc/ipvsctl.yaml: no such file: check the path (default /etc/ipvsctl.yaml) or use -f - for stdin\n", result.Stderr);
    }

    [Fact]
    public void UnresolvedParameter_IsExit35_AndNothingIsSent()
    {
        var kernel = new EmptyFakeKernel();
        Result result = Run(kernel, "services: [ { address: 'tcp://${env.VIP}:80' } ]", "--params-env", "apply", "-f", "-");
        Assert.Equal(35, result.ExitCode);
        Assert.Empty(kernel.Changes);
    }

    [Fact]
    public void InvalidYaml_IsExit30()
    {
        Assert.Equal(30, Run(new EmptyFakeKernel(), "services: [ {", "changeset", "-f", "-").ExitCode);
    }

    [Fact]
    public void Get_EmptyTable_PrintsBraces_InYamlAndJson()
    {
        Assert.Equal(new Result(0, "{}\n", ""), Run(new EmptyFakeKernel(), "", "get"));
        Assert.Equal(new Result(0, "{}\n", ""), Run(new EmptyFakeKernel(), "", "get", "-o", "json"));
    }

    [Fact]
    public void Changeset_And_Diff_PrintThePlan_AndSendNothing()
    {
        var kernel = new EmptyFakeKernel();
        Result changeset = Run(kernel, "", "changeset", "-f", "model.yaml");
        Result diff = Run(kernel, "", "diff", "-f", "model.yaml");
        Assert.Equal(0, changeset.ExitCode);
        Assert.Equal(changeset, diff);
        Assert.StartsWith("items:\n- type: add-service\n", changeset.Stdout, StringComparison.Ordinal);
        Assert.Empty(kernel.Changes);
    }

    [Fact]
    public void SetWeight_OfAMissingService_IsExit34()
    {
        Result result = Run(new EmptyFakeKernel(), "", "set", "weight", "5", "-s", "tcp://198.18.0.1:80", "-d", "198.19.0.1:8080");
        Assert.Equal(34, result.ExitCode);
        Assert.Equal("ipvsctl: service tcp://198.18.0.1:80 is not in the IPVS table: check it with ipvsctl get\n", result.Stderr);
    }

    [Fact]
    public void CannotOpenIpvs_IsExit20()
    {
        var stderr = new StringWriter();
        var environment = new DeclarativeEnvironment { OpenIpvs = () => throw new Netlink.Ipvs.IpvsUnavailableException("ip_vs not loaded") };
        Assert.Equal(20, DeclarativeCommand.Run(["get"], TextReader.Null, TextWriter.Null, stderr, environment));
        Assert.StartsWith("ipvsctl: cannot open IPVS: this kernel has no IPVS", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Help_IsExit0()
    {
        Result result = Run(new EmptyFakeKernel(), "", "help");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Usage: ipvsctl [-v|-d]", result.Stdout, StringComparison.Ordinal);
    }
}
