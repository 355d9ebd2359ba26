using CliWrap;
using CliWrap.Buffered;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsctl;

/// <summary>
/// Where the kernel has no IPVS, ipvsadm runs "/sbin/modprobe -- ip_vs" before it fails, and ipvsctl must do the
/// same: the child gets the same arguments, environment, descriptors, signal mask and ignored signals, and whatever
/// it prints and however it ends, both programs print the same and exit the same. A fake modprobe
/// (FakeModprobe/fake-modprobe.c), bind-mounted over /sbin/modprobe in a private mount namespace, starts each program
/// with SIGUSR1 blocked and SIGUSR2 ignored and tells what the child was given; the real one runs in the last test.
/// This machine's kernel has no IPVS; on one that has it (a Vagrant box), neither program may run modprobe.
/// </summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class ModuleProbeTests
{
    private static readonly string FakeDirectory = Path.Combine(AppContext.BaseDirectory, "Ipvsctl", "FakeModprobe");
    private static readonly Lazy<Task<string>> s_fake = new(CompileFake);
    private static readonly bool KernelHasIpvs = File.Exists("/proc/net/ip_vs");

    [Theory]
    [InlineData("1", "-Ln")]
    [InlineData("1", "-h")]
    [InlineData("0", "-Ln")]
    [InlineData("killed", "-A", "-t", "10.0.0.1:80")]
    public async Task The_child_and_the_outcome_are_ipvsadms(string fakeExit, params string[] arguments)
    {
        BufferedCommandResult ipvsadm = await WithFakeModprobe(fakeExit, "ipvsadm", arguments);
        BufferedCommandResult ipvsctl = await WithFakeModprobe(fakeExit, IpvsctlBinary.Path, arguments);

        Assert.Equal(ipvsadm.StandardOutput, ipvsctl.StandardOutput);
        Assert.Equal(ipvsadm.StandardError, ipvsctl.StandardError);
        Assert.Equal(ipvsadm.ExitCode, ipvsctl.ExitCode);
        if (KernelHasIpvs)
        {
            Assert.DoesNotContain("fake modprobe", ipvsctl.StandardOutput + ipvsctl.StandardError, StringComparison.Ordinal);
            return;
        }
        // What the comparison stands on: the child ran, with our descriptors and environment, SIGUSR1 still blocked,
        // SIGUSR2 still ignored and nothing else ignored (the runtime ignores SIGPIPE; C's child has its default).
        Assert.Equal("fake modprobe: argv [-- ip_vs]\n", ipvsctl.StandardOutput);
        Assert.StartsWith(
            "program starts with SigBlk:\t0000000000000200\nprogram starts with SigIgn:\t0000000000000800\n" +
            "fake modprobe: IPVSCTL_TEST_MARK=[passed through]\n" +
            "fake modprobe starts with SigBlk:\t0000000000000200\nfake modprobe starts with SigIgn:\t0000000000000800\n" +
            "Can't initialize ipvs: ",
            ipvsctl.StandardError,
            StringComparison.Ordinal);
        Assert.EndsWith("Are you sure that IP Virtual Server is built in the kernel or as module?\n", ipvsctl.StandardError, StringComparison.Ordinal);
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

    private static async Task<BufferedCommandResult> WithFakeModprobe(string fakeExit, string program, string[] arguments)
    {
        string fake = await s_fake.Value;
        return await Run(Cli.Wrap("unshare")
            .WithArguments(["--mount", "--propagation", "private", "--", "sh", Path.Combine(FakeDirectory, "run-with-fake-modprobe"), fake, program, .. arguments])
            .WithEnvironmentVariables(env => env.Set("FAKE_MODPROBE_EXIT", fakeExit).Set("IPVSCTL_TEST_MARK", "passed through")));
    }

    /// <summary>Compiles the fake once per test run, into a directory removed when the run ends.</summary>
    private static async Task<string> CompileFake()
    {
        string directory = ScratchDirectory.CreateUntilExit(Path.Combine(Path.GetTempPath(), $"ipvsctl-fake-modprobe-{Environment.ProcessId}"));
        string binary = Path.Combine(directory, "modprobe");
        BufferedCommandResult compiled = await Run(Cli.Wrap("cc").WithArguments(["-O2", "-Wall", "-Werror", "-o", binary, Path.Combine(FakeDirectory, "fake-modprobe.c")]));
        Assert.True(compiled.ExitCode == 0, $"cc fake-modprobe.c failed (a C compiler is needed): {compiled.StandardError}");
        return binary;
    }

    private static async Task<BufferedCommandResult> Run(Command command) =>
        await command.WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(TestContext.Current.CancellationToken);
}
