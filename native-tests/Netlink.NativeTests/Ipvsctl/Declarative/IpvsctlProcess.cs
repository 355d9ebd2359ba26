using CliWrap.Buffered;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsctl.Declarative;

/// <summary>
/// Runs the published NativeAOT ipvsctl (artifacts/bin/ipvsctl, beside this test's own directory
/// artifacts/bin/Netlink.NativeTests/release/) inside a test namespace, as a user would run it.
/// </summary>
internal static class IpvsctlProcess
{
    public static string BinaryPath => Infrastructure.IpvsctlBinary.Path;

    public static BufferedCommandResult Run(TestNamespace ns, string? stdin, params string[] args)
    {
        Assert.True(File.Exists(BinaryPath), $"{BinaryPath} is missing: publish ipvsctl into the artifacts tree first (tools/publish)");
        return ns.TryExec(stdin, BinaryPath, args);
    }

    /// <summary>Runs and asserts exit 0, returning stdout.</summary>
    public static string Ok(TestNamespace ns, string? stdin, params string[] args)
    {
        BufferedCommandResult result = Run(ns, stdin, args);
        Assert.True(result.ExitCode == 0, $"ipvsctl {string.Join(' ', args)} exited {result.ExitCode}: {result.StandardError}");
        return result.StandardOutput;
    }

    /// <summary>`ipvsadm -Sn` in the namespace, lines sorted (the kernel lists in hash order).</summary>
    public static string[] Saved(TestNamespace ns) =>
        [.. ns.Ipvsadm("-Sn").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
}
