using CliWrap;
using CliWrap.Buffered;

namespace Netlink.NativeTests.Infrastructure;

/// <summary>
/// The published NativeAOT programs (artifacts/bin/NAME, beside the test program's output tree), each copied once per
/// test run into /dev/shm: in the VM this machine's root arrives over 9p, where every start of a multi-megabyte
/// program pages it in again and costs seconds under emulation; from tmpfs it starts several times faster.
/// </summary>
public static class PublishedBinaries
{
    private static readonly Dictionary<string, Lazy<string>> s_copies = new(StringComparer.Ordinal)
    {
        ["ipvsctl"] = new(() => Copy("ipvsctl")),
        ["ipvsd"] = new(() => Copy("ipvsd")),
    };

    /// <summary>Where <paramref name="name"/> is published to.</summary>
    public static string Published(string name) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(AppContext.BaseDirectory, "..", "..", name));

    /// <summary>The path to run <paramref name="name"/> from; fails the test when it was never published.</summary>
    public static string PathOf(string name) => s_copies[name].Value;

    private static string Copy(string name)
    {
        string published = Published(name);
        Assert.True(File.Exists(published), $"{published} is missing: run tools/publish");
        string directory = ScratchDirectory.CreateUntilExit(System.IO.Path.Combine("/dev/shm", $"{name}-tests-{Environment.ProcessId}"));
        string copy = System.IO.Path.Combine(directory, name);
        // Copied by cp, not File.Copy: while this process held the copy open for writing, a test on another thread
        // starting a program would fork a child holding that descriptor until its exec, and running the copy then
        // fails with ETXTBSY ("Text file busy", seen in CI). A cp child's descriptors are never ours to share.
        BufferedCommandResult copied = Cli.Wrap("cp").WithArguments(["--preserve=mode", published, copy])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync().GetAwaiter().GetResult();
        Assert.True(copied.ExitCode == 0, $"cp {published} {copy} failed: {copied.StandardError}");
        return copy;
    }
}
