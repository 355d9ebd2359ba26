using ServiceProxy.Rules;

namespace Netlink.Fuzz.Targets;

/// <summary>iptables-save's output, as the iptables rules backend reads back what it installed.</summary>
public sealed class IptablesSaveTarget : IFuzzTarget
{
    /// <inheritdoc />
    public string Name => "iptables-save";

    /// <inheritdoc />
    public string Description => "iptables-save output (nat, filter and mangle tables), parsed and read back into service rules";

    /// <inheritdoc />
    public void Run(ReadOnlySpan<byte> input)
    {
        // Output that is not ours reads as "no rules of ours" (null), never as an exception.
        IptablesSave save = IptablesSave.Parse(TextInput.Decode(input));
        save.HasOwnedObjects(IptablesChains.Default);
        IptablesRuleReader.Read(save, save, []);
        IptablesRestoreInput.ForApply(new ServiceRuleSet(), IptablesFamily.IPv4, save, IptablesChains.Default);
        IptablesRestoreInput.ForRemove(save, IptablesChains.Default);
    }
}
