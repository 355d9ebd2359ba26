namespace Netlink.NativeTests.Infrastructure;

/// <summary>
/// Trait values that split the native tests: <see cref="Host"/> runs on any kernel with nf_tables (this machine's
/// own), <see cref="Ipvs"/> needs a kernel with IPVS (the Debian kernels under qemu, or a Vagrant box).
/// Tag tests with [Trait(Rings.Name, Rings.Host)] or [Trait(Rings.Name, Rings.Ipvs)].
/// </summary>
public static class Rings
{
    /// <summary>The trait name.</summary>
    public const string Name = "Ring";

    /// <summary>Tests that need only namespaces, netlink, nf_tables, conntrack, rtnetlink.</summary>
    public const string Host = "host";

    /// <summary>Tests that need IPVS.</summary>
    public const string Ipvs = "ipvs";
}
