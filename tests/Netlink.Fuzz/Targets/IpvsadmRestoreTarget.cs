namespace Netlink.Fuzz.Targets;

/// <summary>ipvsadm -R: every line of standard input a command line, batched as ipvsctl batches them.</summary>
public sealed class IpvsadmRestoreTarget : IpvsadmTarget
{
    /// <inheritdoc />
    public override string Name => "ipvsadm-restore";

    /// <inheritdoc />
    public override string Description => "ipvsadm -R input (ipvsadm-save's format), run against an in-memory IPVS kernel";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Arguments(string text) => ["-R"];

    /// <inheritdoc />
    protected override string StandardInput(string text) => text;
}
