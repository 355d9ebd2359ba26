using CliWrap;
using CliWrap.Buffered;

namespace Netlink.NativeTests.Infrastructure;

/// <summary>
/// The published NativeAOT ipvsctl (artifacts/bin/ipvsctl, beside the test program's output tree), copied once per
/// test run into /dev/shm: in the VM this machine's root arrives over 9p, where every start of a 5 MB program
/// pages it in again and costs seconds under emulation; from tmpfs it starts several times faster.
/// </summary>
public static class IpvsctlBinary
{
    private static readonly Lazy<string> s_path = new(Copy);

    /// <summary>Where the published binary is built to.</summary>
    public static string Published { get; } = System.IO.Path.GetFullPath(System.IO.Path.Combine(AppContext.BaseDirectory, "..", "..", "ipvsctl"));

    /// <summary>The path to run; fails the test when the binary was never published.</summary>
    public static string Path => s_path.Value;

    private static string Copy()
    {
        Assert.True(File.Exists(Published), $"{Published} is missing: run tools/publish");
        string directory = ScratchDirectory.CreateUntilExit(System.IO.Path.Combine("/dev/shm", $"ipvsctl-tests-{Environment.ProcessId}"));
        string copy = System.IO.Path.Combine(directory, "ipvsctl");
        // Copied by cp, not File.Copy: while this process held the copy open for writing, a test on another thread
        // starting a program would fork a child holding that descriptor until its exec, and running the copy then
        // fails with ETXTBSY ("Text file busy", seen in CI). A cp child's descriptors are never ours to share.
        BufferedCommandResult copied = Cli.Wrap("cp").WithArguments(["--preserve=mode", Published, copy])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync().GetAwaiter().GetResult();
        Assert.True(copied.ExitCode == 0, $"cp {Published} {copy} failed: {copied.StandardError}");
        return copy;
    }
}
