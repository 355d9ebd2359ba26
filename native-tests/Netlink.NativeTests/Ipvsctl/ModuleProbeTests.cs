using CliWrap;
using CliWrap.Buffered;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsctl;

/// <summary>
/// Where the kernel has no IPVS, ipvsadm runs "/sbin/modprobe -- ip_vs" before it fails, and ipvsctl must do the
/// same: the child gets the same arguments, environment, descriptors and signal dispositions, and whatever it
/// prints and however it ends, both programs print the same and exit the same. A fake modprobe, bind-mounted over
/// /sbin/modprobe in a private mount namespace, tells what it was given; the real one runs in the last test.
/// This machine's kernel has no IPVS; on one that has it (a Vagrant box), neither program may run modprobe.
/// </summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class ModuleProbeTests
{
    private static readonly string FakeDirectory = Path.Combine(AppContext.BaseDirectory, "Ipvsctl", "FakeModprobe");
    private static readonly bool KernelHasIpvs = File.Exists("/proc/net/ip_vs");

    [Theory]
    [InlineData("1", "-Ln")]
    [InlineData("1", "-h")]
    [InlineData("0", "-Ln")]
    [InlineData("killed", "-A", "-t", "10.0.0.1:80")]
    public async Task The_child_and_the_outcome_are_ipvsadms(string fakeExit, params string[] arguments)
    {
        Probed ipvsadm = await WithFakeModprobe(fakeExit, "ipvsadm", arguments);
        Probed ipvsctl = await WithFakeModprobe(fakeExit, IpvsctlBinary.Path, arguments);

        Assert.Equal(ipvsadm.Output, ipvsctl.Output);
        Assert.Equal(ipvsadm.Error, ipvsctl.Error);
        Assert.Equal(ipvsadm.ExitCode, ipvsctl.ExitCode);
        if (KernelHasIpvs)
        {
            Assert.DoesNotContain("fake modprobe", ipvsctl.Output + ipvsctl.Error, StringComparison.Ordinal);
            return;
        }
        // What the comparison stands on: the child ran, with our descriptors and environment, and with the signal
        // mask and ignored signals its parent started with, as a forked child has them (each parent's own: the
        // test host may start the two with different masks).
        Assert.Equal(ipvsadm.ProgramSignals, ipvsadm.ChildSignals);
        Assert.Equal(ipvsctl.ProgramSignals, ipvsctl.ChildSignals);
        Assert.Equal(2, ipvsctl.ChildSignals.Length);
        Assert.Equal("fake modprobe: argv [-- ip_vs]\n", ipvsctl.Output);
        Assert.StartsWith("fake modprobe: IPVSCTL_TEST_MARK=[passed through]\nCan't initialize ipvs: ", ipvsctl.Error, StringComparison.Ordinal);
        Assert.EndsWith("Are you sure that IP Virtual Server is built in the kernel or as module?\n", ipvsctl.Error, StringComparison.Ordinal);
        Assert.Equal(2, ipvsctl.ExitCode);
    }

    [Fact]
    public async Task The_real_modprobe_says_the_same_through_both()
    {
        BufferedCommandResult ipvsadm = await Run(Cli.Wrap("ipvsadm").WithArguments(["-Ln"]));
        BufferedCommandResult ipvsctl = await Run(Cli.Wrap(IpvsctlBinary.Path).WithArguments(["-Ln"]));

        Assert.Equal(ipvsadm.StandardOutput, ipvsctl.StandardOutput);
        Assert.Equal(ipvsadm.StandardError, ipvsctl.StandardError);
        Assert.Equal(ipvsadm.ExitCode, ipvsctl.ExitCode);
        Assert.Equal(KernelHasIpvs ? 0 : 2, ipvsctl.ExitCode);
    }

    private static async Task<Probed> WithFakeModprobe(string fakeExit, string program, string[] arguments)
    {
        BufferedCommandResult result = await Run(Cli.Wrap("unshare")
            .WithArguments(["--mount", "--propagation", "private", "--", "sh", Path.Combine(FakeDirectory, "run-with-fake-modprobe"), program, .. arguments])
            .WithEnvironmentVariables(env => env.Set("FAKE_MODPROBE_EXIT", fakeExit).Set("IPVSCTL_TEST_MARK", "passed through")));
        string[] lines = result.StandardError.Split('\n');
        return new Probed(
            result.StandardOutput,
            string.Join('\n', lines.Where(line => !line.Contains(" starts with Sig", StringComparison.Ordinal))),
            result.ExitCode,
            Signals(lines, "program starts with "),
            Signals(lines, "fake modprobe starts with "));

        static string[] Signals(string[] lines, string prefix) =>
            [.. lines.Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => line[prefix.Length..])];
    }

    /// <summary>What a program printed and how it ended, with the signal lines of the wrapper and the fake set apart.</summary>
    private sealed record Probed(string Output, string Error, int ExitCode, string[] ProgramSignals, string[] ChildSignals);

    private static async Task<BufferedCommandResult> Run(Command command) =>
        await command.WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(TestContext.Current.CancellationToken);
}
