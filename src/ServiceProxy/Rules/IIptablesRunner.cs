namespace ServiceProxy.Rules;

/// <summary>Runs iptables-save and iptables-restore (or their ip6tables twins); a seam so tests can stand in for them.</summary>
internal interface IIptablesRunner
{
    /// <summary>The output of <c>iptables-save</c> for <paramref name="family"/>, with at least its nat and filter tables.</summary>
    string Save(IptablesFamily family);

    /// <summary>Feeds <paramref name="input"/> to <c>iptables-restore --noflush</c> for <paramref name="family"/>.</summary>
    void Restore(IptablesFamily family, string input);
}
