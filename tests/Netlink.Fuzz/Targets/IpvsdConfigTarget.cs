using Ipvsd.Configuration;

namespace Netlink.Fuzz.Targets;

/// <summary>ipvsd's configuration file, as it reads it at start and on SIGHUP.</summary>
public sealed class IpvsdConfigTarget : IFuzzTarget
{
    /// <inheritdoc />
    public string Name => "ipvsd-config";

    /// <inheritdoc />
    public string Description => "ipvsd.yaml (every setting, the services: and kubernetes: sections)";

    /// <inheritdoc />
    public void Run(ReadOnlySpan<byte> input) =>
        // Every refusal is a problem in the list; nothing is thrown for any text.
        ConfigReader.Parse(TextInput.Decode(input), "/etc/ipvsd/ipvsd.yaml", out _);
}
