using System.Net;
using System.Net.Sockets;
using Netlink.Ipvs;

namespace Ipvsctl.Ipvsadm;

/// <summary>ipvsadm's addrport_to_anyname: "host:port", IPv6 in brackets, names unless -n, cut to 59 characters.</summary>
internal sealed class AddressText
{
    private readonly NameLookup _names;

    public AddressText(NameLookup names) => _names = names;

    public string Format(IPAddress address, ushort port, IpvsProtocol protocol, ListFormat format)
    {
        bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        string text;
        if ((format & ListFormat.Numeric) != 0)
        {
            text = v6 ? CText.Invariant($"[{address}]:{port}") : CText.Invariant($"{address}:{port}");
        }
        else
        {
            string host = _names.AddressToHost(address) ?? address.ToString();
            string portName = PortName(port, protocol);
            text = v6 ? $"[{host}]:{portName}" : $"{host}:{portName}";
        }
        return text.Length > 59 ? text[..59] : text;
    }

    private string PortName(ushort port, IpvsProtocol protocol)
    {
        string? name = protocol switch
        {
            IpvsProtocol.Tcp => _names.PortToService(port, "tcp"),
            IpvsProtocol.Udp => _names.PortToService(port, "udp"),
            IpvsProtocol.Sctp => _names.PortToService(port, "sctp"),
            _ => null,
        };
        return name ?? port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
