using System.Globalization;
using System.Text;
using Netlink.Ipvs;

namespace Ipvsctl.Ipvsadm;

/// <summary>
/// ipvsadm -Lc: the connection table from /proc/net/ip_vs_conn (netlink does not offer it), parsed by the library's
/// <see cref="ConnectionTable"/>, one line per entry in ipvsadm's columns, with the persistence engine's name and
/// data under --persistent-conn.
/// </summary>
internal sealed class ConnectionListing
{
    public const string ProcFile = "/proc/net/ip_vs_conn";

    private readonly AddressText _addresses;

    public ConnectionListing(AddressText addresses) => _addresses = addresses;

    /// <summary>Writes the listing of the table read from <paramref name="reader"/> (its first line is the kernel's header).</summary>
    public void Write(TextReader reader, TextWriter output, ListFormat format)
    {
        string text = reader.ReadToEnd();
        if (text.Length == 0)
        {
            throw new IpvsadmExit(1, $"unexpected input from {ProcFile}");
        }
        bool persistent = (format & ListFormat.PersistentConn) != 0;
        output.Write("IPVS connection entries\n");
        output.Write(persistent
            ? string.Create(CultureInfo.InvariantCulture, $"pro expire {"state",-11} {"source",-18} {"virtual",-18} {"destination",-18} {"pe name",-16} pe_data\n")
            : string.Create(CultureInfo.InvariantCulture, $"pro expire {"state",-11} {"source",-18} {"virtual",-18} destination\n"));
        var line = new StringBuilder(256);
        IReadOnlyList<IpvsConnection> entries;
        try
        {
            entries = ConnectionTable.Parse(text);
        }
        catch (FormatException)
        {
            throw new IpvsadmExit(1, $"unexpected input from {ProcFile}");
        }
        foreach (IpvsConnection entry in entries)
        {
            line.Clear();
            FormatEntry(entry, persistent, format, line);
            output.Write(line);
        }
    }

    private void FormatEntry(IpvsConnection entry, bool persistent, ListFormat format, StringBuilder line)
    {
        IpvsProtocol protocol = entry.Protocol switch
        {
            "TCP" => IpvsProtocol.Tcp,
            "UDP" => IpvsProtocol.Udp,
            "SCTP" => IpvsProtocol.Sctp,
            _ => IpvsProtocol.None,
        };
        string cname = _addresses.Format(entry.ClientAddress, entry.ClientPort, protocol, format);
        string vname = _addresses.Format(entry.VirtualAddress, entry.VirtualPort, protocol, format);
        string dname = _addresses.Format(entry.RealServerAddress, entry.RealServerPort, protocol, format);
        string expire = CText.Invariant($"{entry.ExpiresSeconds / 60:00}:{entry.ExpiresSeconds % 60:00}");
        if (persistent && entry.PersistenceEngineData is not null)
        {
            line.Append(CultureInfo.InvariantCulture, $"{entry.Protocol,-3} {expire,-6} {entry.State,-11} {cname,-18} {vname,-18} {dname,-16} {entry.PersistenceEngine,-18} {entry.PersistenceEngineData}\n");
        }
        else
        {
            line.Append(CultureInfo.InvariantCulture, $"{entry.Protocol,-3} {expire,-6} {entry.State,-11} {cname,-18} {vname,-18} {dname}\n");
        }
    }
}
