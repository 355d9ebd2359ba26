namespace Netlink.NativeTests.Infrastructure;

/// <summary>The published NativeAOT ipvsctl, copied to tmpfs once per run (see <see cref="PublishedBinaries"/>).</summary>
public static class IpvsctlBinary
{
    /// <summary>Where the published binary is built to.</summary>
    public static string Published { get; } = PublishedBinaries.Published("ipvsctl");

    /// <summary>The path to run; fails the test when the binary was never published.</summary>
    public static string Path => PublishedBinaries.PathOf("ipvsctl");
}
