using System.Globalization;
using System.Net;
using System.Text;
using Netlink.Ipvs;

namespace Ipvsctl.Ipvsadm;

/// <summary>
/// ipvsadm -Lc: the connection table from /proc/net/ip_vs_conn (netlink does not offer it), one line per entry in
/// ipvsadm's columns, with the persistence engine's name and data under --persistent-conn.
/// </summary>
internal sealed class ConnectionListing
{
    public const string ProcFile = "/proc/net/ip_vs_conn";

    private readonly AddressText _addresses;

    public ConnectionListing(AddressText addresses) => _addresses = addresses;

    /// <summary>Writes the listing of the table read from <paramref name="reader"/> (its first line is the kernel's header).</summary>
    public void Write(TextReader reader, TextWriter output, ListFormat format)
    {
        if (reader.ReadLine() is null)
        {
            throw new IpvsadmExit(1, $"unexpected input from {ProcFile}");
        }
        bool persistent = (format & ListFormat.PersistentConn) != 0;
        output.Write("IPVS connection entries\n");
        output.Write(persistent
            ? string.Create(CultureInfo.InvariantCulture, $"pro expire {"state",-11} {"source",-18} {"virtual",-18} {"destination",-18} {"pe name",-16} pe_data\n")
            : string.Create(CultureInfo.InvariantCulture, $"pro expire {"state",-11} {"source",-18} {"virtual",-18} destination\n"));
        var line = new StringBuilder(256);
        while (reader.ReadLine() is { } text)
        {
            string[] fields = text.Split([' ', '\t', '\n', '\r', '\v', '\f'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                // sscanf found nothing on the line: ipvsadm exits there.
                output.Flush();
                throw new IpvsadmExit(1, string.Empty);
            }
            line.Clear();
            FormatEntry(fields, persistent, format, line);
            output.Write(line);
        }
    }

    private void FormatEntry(string[] f, bool persistent, ListFormat format, StringBuilder line)
    {
        string protocolName = f[0];
        IpvsProtocol protocol = protocolName switch
        {
            "TCP" => IpvsProtocol.Tcp,
            "UDP" => IpvsProtocol.Udp,
            "SCTP" => IpvsProtocol.Sctp,
            _ => IpvsProtocol.None,
        };
        IPAddress client = ParseAddress(Field(f, 1), out bool v6);
        IPAddress virtualAddress = v6 ? ParseAddress(Field(f, 3), out _) : ParseIPv4Hex(Field(f, 3));
        IPAddress destination = ParseAddress(Field(f, 5), out _);
        string cname = _addresses.Format(client, ParseHexPort(Field(f, 2)), protocol, format);
        string vname = _addresses.Format(virtualAddress, ParseHexPort(Field(f, 4)), protocol, format);
        string dname = _addresses.Format(destination, ParseHexPort(Field(f, 6)), protocol, format);
        string state = Field(f, 7);
        uint expires = f.Length > 8 && int.TryParse(f[8], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int e) ? unchecked((uint)e) : 0;
        string expire = CText.Invariant($"{(expires / 60):00}:{(expires % 60):00}");
        if (persistent && f.Length >= 11)
        {
            line.Append(CultureInfo.InvariantCulture, $"{protocolName,-3} {expire,-6} {state,-11} {cname,-18} {vname,-18} {dname,-16} {f[9],-18} {f[10]}\n");
        }
        else
        {
            line.Append(CultureInfo.InvariantCulture, $"{protocolName,-3} {expire,-6} {state,-11} {cname,-18} {vname,-18} {dname}\n");
        }
    }

    private static string Field(string[] fields, int index) => index < fields.Length ? fields[index] : string.Empty;

    /// <summary>An IPv6 address as the kernel prints it, a dotted IPv4 one, or else the kernel's 8 hex digits.</summary>
    private static IPAddress ParseAddress(string text, out bool v6)
    {
        v6 = false;
        if (CText.TryInetPton6(text, out byte[] bytes))
        {
            v6 = true;
            return new IPAddress(bytes);
        }
        if (CText.TryInetPton4(text, out uint dotted))
        {
            return ToIPv4(dotted);
        }
        return ParseIPv4Hex(text);
    }

    private static IPAddress ParseIPv4Hex(string text) => ToIPv4(StrtoulHex(text));

    private static IPAddress ToIPv4(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    private static uint StrtoulHex(string text)
    {
        ulong value = 0;
        int i = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? 2 : 0;
        for (; i < text.Length && char.IsAsciiHexDigit(text[i]); i++)
        {
            value = Math.Min((value << 4) | (uint)HexValue(text[i]), ulong.MaxValue >> 4);
        }
        return (uint)value;
    }

    private static ushort ParseHexPort(string text)
    {
        uint value = 0;
        for (int i = 0; i < text.Length && char.IsAsciiHexDigit(text[i]); i++)
        {
            value = (value << 4) | (uint)HexValue(text[i]);
        }
        return (ushort)value;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
