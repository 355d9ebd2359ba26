namespace Netlink.Netfilter.NfTables;

/// <summary>How <see cref="NfTablesClient.Open(NfTablesClientOptions?)"/> connects: namespace, receive timeout, buffer sizes.</summary>
public sealed class NfTablesClientOptions : NetlinkClientOptions
{
    /// <summary>The defaults.</summary>
    public static NfTablesClientOptions Default { get; } = new();
}
