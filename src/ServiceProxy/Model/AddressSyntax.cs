using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Netlink;
using Netlink.Ipvs;

namespace ServiceProxy.Model;

/// <summary>
/// The model's address forms: services "tcp|udp|sctp://IP[:PORT]" (IPv6 in brackets) or "fwmark:N"; real servers
/// "IP[:PORT]". Parsing is strict (IPv4 as four decimal numbers), so "1.2" or "010.1" never become an address.
/// Formatting is the inverse, and is what get and changeset print.
/// </summary>
public static class AddressSyntax
{
    /// <summary>A parsed service address: a protocol with IP and optional port, or a firewall mark.</summary>
    /// <param name="Protocol">TCP, UDP or SCTP; <see cref="IpvsProtocol.None"/> for a firewall mark.</param>
    /// <param name="Address">The virtual IP; null for a firewall mark.</param>
    /// <param name="Port">The port when one was written.</param>
    /// <param name="FirewallMark">The mark of "fwmark:N"; 0 for an address.</param>
    public readonly record struct ServiceAddress(IpvsProtocol Protocol, IPAddress? Address, int? Port, uint FirewallMark);

    /// <summary>Parses a service address; on failure <paramref name="problem"/> says what is wrong with it.</summary>
    public static bool TryParseService(string text, out ServiceAddress address, out string problem)
    {
        address = default;
        if (text.StartsWith("fwmark:", StringComparison.Ordinal))
        {
            string mark = text["fwmark:".Length..];
            if (!uint.TryParse(mark, NumberStyles.None, CultureInfo.InvariantCulture, out uint value) || value == 0)
            {
                problem = $"firewall mark '{mark}' is not a number from 1 to 4294967295";
                return false;
            }
            address = new ServiceAddress(IpvsProtocol.None, null, null, value);
            problem = string.Empty;
            return true;
        }
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        IpvsProtocol protocol = scheme < 0 ? IpvsProtocol.None : text[..scheme] switch
        {
            "tcp" => IpvsProtocol.Tcp,
            "udp" => IpvsProtocol.Udp,
            "sctp" => IpvsProtocol.Sctp,
            _ => IpvsProtocol.None,
        };
        if (protocol == IpvsProtocol.None)
        {
            problem = $"'{text}' is neither tcp|udp|sctp://IP[:PORT] nor fwmark:N";
            return false;
        }
        string hostPort = text[(scheme + 3)..];
        if (hostPort.EndsWith('/'))
        {
            hostPort = hostPort[..^1]; // aschmidt75/ipvsctl accepted a trailing slash
        }
        if (!TryParseHostPort(hostPort, out IPAddress? ip, out int? port, out problem))
        {
            return false;
        }
        address = new ServiceAddress(protocol, ip, port, 0);
        return true;
    }

    /// <summary>"IP", "IP:PORT", "[IPv6]", "[IPv6]:PORT" or a bare IPv6 address.</summary>
    public static bool TryParseHostPort(string text, out IPAddress? address, out int? port, out string problem)
    {
        address = null;
        port = null;
        string host = text;
        string? portText = null;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                problem = $"'{text}' opens '[' without closing ']'";
                return false;
            }
            host = text[1..close];
            string rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    problem = $"'{text}' has '{rest}' after ']' where ':PORT' belongs";
                    return false;
                }
                portText = rest[1..];
            }
        }
        else if (text.Count(c => c == ':') == 1)
        {
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            portText = text[(colon + 1)..];
        }
        if (!TryParseIp(host, out address))
        {
            problem = $"'{host}' is not an IP address (IPv4 as 198.18.0.1, IPv6 in brackets as [2001:db8::1])";
            return false;
        }
        if (portText is not null)
        {
            if (!TryParsePort(portText, out int value))
            {
                problem = $"port '{portText}' is not a number from 0 to 65535";
                return false;
            }
            port = value;
        }
        problem = string.Empty;
        return true;
    }

    /// <summary>A port from 0 to 65535, digits only.</summary>
    public static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535 && text.Length <= 5;

    /// <summary>Strict: IPv4 as four decimal numbers, IPv6 without a zone.</summary>
    public static bool TryParseIp(string text, out IPAddress? address)
    {
        address = null;
        if (text.Length == 0 || text.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }
        string[] parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || int.Parse(p, CultureInfo.InvariantCulture) > 255))
        {
            return false;
        }
        return IPAddress.TryParse(text, out address);
    }

    /// <summary>"tcp://198.18.0.1:80", "udp://[2001:db8::1]:53", "fwmark:7" (the port is left out when 0, as aschmidt75/ipvsctl did).</summary>
    public static string Format(VirtualServiceKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.IsFirewallMark)
        {
            return string.Create(CultureInfo.InvariantCulture, $"fwmark:{key.FirewallMark}");
        }
        string scheme = key.Protocol switch
        {
            IpvsProtocol.Tcp => "tcp",
            IpvsProtocol.Udp => "udp",
            IpvsProtocol.Sctp => "sctp",
            _ => ((ushort)key.Protocol).ToString(CultureInfo.InvariantCulture),
        };
        string host = key.Address!.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{key.Address}]" : key.Address.ToString();
        return key.Port == 0 ? $"{scheme}://{host}" : string.Create(CultureInfo.InvariantCulture, $"{scheme}://{host}:{key.Port}");
    }

    /// <summary>"198.19.0.1:8080" or "[2001:db8::2]:8080", always with the port.</summary>
    public static string Format(RealServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return EndpointText.Format(server.Address, server.Port);
    }
}
