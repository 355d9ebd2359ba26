using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using static Netlink.Route.RouteConstants;

namespace Netlink.Route;

/// <summary>
/// The part of rtnetlink a load balancer needs: list links, create and delete the dummy link that holds virtual IPs
/// (as kube-proxy holds them on kube-ipvs0), set links up or down, and add, remove and list addresses.
/// One reused NETLINK_ROUTE socket. Not thread-safe: one operation at a time. Using one client from two threads at
/// once throws <see cref="InvalidOperationException"/> (its connection detects the overlap) rather than mixing up
/// requests or replies; use one client per thread, or lock around it.
/// </summary>
public sealed class RouteClient : IRouteClient
{
    private const int RequestSize = 256;

    private readonly NetlinkConnection _connection;

    private RouteClient(NetlinkConnection connection) => _connection = connection;

    /// <summary>
    /// Opens a NETLINK_ROUTE socket (in <see cref="NetlinkClientOptions.Namespace"/> if given). Throws
    /// <see cref="NetlinkException"/> when it cannot.
    /// </summary>
    public static RouteClient Open(RouteClientOptions? options = null) =>
        new(NetlinkConnection.Open(NetlinkProtocol.Route, (options ?? RouteClientOptions.Default).ToSocketOptions()));

    /// <summary>
    /// Like <see cref="Open(RouteClientOptions?)"/>, but a kernel without rtnetlink (EPROTONOSUPPORT) is an answer:
    /// returns false with the reason. Every other failure still throws.
    /// </summary>
    public static bool TryOpen(RouteClientOptions? options, [NotNullWhen(true)] out RouteClient? client, [NotNullWhen(false)] out string? unavailableReason)
    {
        bool opened = NetlinkConnection.TryOpen(NetlinkProtocol.Route, (options ?? RouteClientOptions.Default).ToSocketOptions(), out NetlinkConnection? connection, out unavailableReason);
        client = opened ? new RouteClient(connection!) : null;
        return opened;
    }

    /// <summary>Wraps a NETLINK_ROUTE connection (or a test's stand-in), which the client then owns. Sends nothing.</summary>
    public static RouteClient Open(NetlinkConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new RouteClient(connection);
    }

    /// <summary>Lists every link (one RTM_GETLINK dump).</summary>
    public IReadOnlyList<Link> ListLinks()
    {
        using var request = new NetlinkBuffer(RequestSize);
        NetlinkWriter writer = WriteInfo(request, RtmGetLink, NetlinkMessageFlags.None, 0, 0, 0, out NetlinkMessageToken message);
        writer.EndMessage(message);
        return _connection.Dump(request, ParseLink, "list links");
    }

    /// <summary>The link named <paramref name="name"/>, or null.</summary>
    public Link? GetLink(string name) => ListLinks().FirstOrDefault(l => l.Name == name);

    /// <summary>Creates a dummy link (RTM_NEWLINK with IFLA_INFO_KIND "dummy"), down. EEXIST if the name is taken.</summary>
    public void CreateDummy(string name) => CreateLink(name, "dummy");

    /// <summary>Creates a link of a kind that needs no other settings ("dummy", "ifb", "bridge"). EOPNOTSUPP if the kernel lacks the kind.</summary>
    public void CreateLink(string name, string kind)
    {
        CheckName(name);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        using var request = new NetlinkBuffer(RequestSize);
        var writer = WriteInfo(request, RtmNewLink, NetlinkMessageFlags.Create | NetlinkMessageFlags.Exclusive, 0, 0, 0, out NetlinkMessageToken message);
        writer.WriteString(IflaIfname, name);
        NetlinkNestToken info = writer.BeginNested(IflaLinkinfo);
        writer.WriteString(IflaInfoKind, kind);
        writer.EndNested(info);
        writer.EndMessage(message);
        _connection.Execute(request, $"create {kind} link", name);
    }

    /// <summary>Deletes the link named <paramref name="name"/>. ENODEV if there is none.</summary>
    public void DeleteLink(string name)
    {
        CheckName(name);
        using var request = new NetlinkBuffer(RequestSize);
        var writer = WriteInfo(request, RtmDelLink, NetlinkMessageFlags.None, 0, 0, 0, out NetlinkMessageToken message);
        writer.WriteString(IflaIfname, name);
        writer.EndMessage(message);
        _connection.Execute(request, "delete link", name);
    }

    /// <summary>Sets the link administratively up or down (IFF_UP through ifi_change).</summary>
    public void SetLinkUp(string name, bool up)
    {
        CheckName(name);
        using var request = new NetlinkBuffer(RequestSize);
        var writer = WriteInfo(request, RtmNewLink, NetlinkMessageFlags.None, 0, up ? IffUp : 0, IffUp, out NetlinkMessageToken message);
        writer.WriteString(IflaIfname, name);
        writer.EndMessage(message);
        _connection.Execute(request, up ? "set link up" : "set link down", name);
    }

    /// <summary>Lists the addresses of every link, or of the link with <paramref name="interfaceIndex"/>, of both families.</summary>
    public IReadOnlyList<InterfaceAddress> ListAddresses(int? interfaceIndex = null)
    {
        using var request = new NetlinkBuffer(RequestSize);
        var writer = new NetlinkWriter(request);
        NetlinkMessageToken message = writer.BeginMessage(RtmGetAddr, NetlinkMessageFlags.None, 0);
        Span<byte> header = stackalloc byte[IfAddrMsgSize];
        header.Clear();
        writer.WriteFixedHeader(header);
        writer.EndMessage(message);
        List<InterfaceAddress> addresses = _connection.Dump(request, ParseAddress, "list addresses");
        return interfaceIndex is int index ? [.. addresses.Where(a => a.InterfaceIndex == index)] : addresses;
    }

    /// <summary>
    /// Adds <paramref name="address"/>/<paramref name="prefixLength"/> to the link <paramref name="linkName"/>.
    /// With <paramref name="noDuplicateDetection"/>, an IPv6 address is usable at once (IFA_F_NODAD), as a virtual IP must be.
    /// EEXIST if it is there already.
    /// </summary>
    public void AddAddress(string linkName, IPAddress address, int prefixLength, bool noDuplicateDetection = true) =>
        ChangeAddress(RtmNewAddr, NetlinkMessageFlags.Create | NetlinkMessageFlags.Exclusive, linkName, address, prefixLength, noDuplicateDetection, "add address");

    /// <summary>Removes <paramref name="address"/>/<paramref name="prefixLength"/> from the link. EADDRNOTAVAIL if absent.</summary>
    public void RemoveAddress(string linkName, IPAddress address, int prefixLength) =>
        ChangeAddress(RtmDelAddr, NetlinkMessageFlags.None, linkName, address, prefixLength, false, "remove address");

    /// <summary>
    /// Like <see cref="AddAddress(string, IPAddress, int, bool)"/> on the link with <paramref name="interfaceIndex"/>:
    /// one request, where the name form first dumps the links to find the index (binding thousands of virtual IPs).
    /// ENODEV if there is no such link.
    /// </summary>
    public void AddAddress(int interfaceIndex, IPAddress address, int prefixLength, bool noDuplicateDetection = true) =>
        ChangeAddress(RtmNewAddr, NetlinkMessageFlags.Create | NetlinkMessageFlags.Exclusive, interfaceIndex, $"link {interfaceIndex}", address, prefixLength, noDuplicateDetection, "add address");

    /// <summary>Like <see cref="RemoveAddress(string, IPAddress, int)"/> on the link with <paramref name="interfaceIndex"/>, in one request.</summary>
    public void RemoveAddress(int interfaceIndex, IPAddress address, int prefixLength) =>
        ChangeAddress(RtmDelAddr, NetlinkMessageFlags.None, interfaceIndex, $"link {interfaceIndex}", address, prefixLength, false, "remove address");

    private void ChangeAddress(ushort type, NetlinkMessageFlags flags, string linkName, IPAddress address, int prefixLength, bool noDad, string operation)
    {
        ArgumentNullException.ThrowIfNull(address);
        Link link = GetLink(linkName) ?? throw new NetlinkException(Errno.ENODEV, operation, $"{address}/{prefixLength} on {linkName}");
        ChangeAddress(type, flags, link.Index, linkName, address, prefixLength, noDad, operation);
    }

    private void ChangeAddress(ushort type, NetlinkMessageFlags flags, int interfaceIndex, string linkName, IPAddress address, int prefixLength, bool noDad, string operation)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(interfaceIndex);
        bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, v6 ? 128 : 32);
        using var request = new NetlinkBuffer(RequestSize);
        var writer = new NetlinkWriter(request);
        NetlinkMessageToken message = writer.BeginMessage(type, flags, 0);
        Span<byte> header = stackalloc byte[IfAddrMsgSize];
        header[0] = LinuxAddressFamily.Of(address);
        header[1] = (byte)prefixLength;
        header[2] = 0;
        header[3] = 0; // RT_SCOPE_UNIVERSE
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], interfaceIndex);
        writer.WriteFixedHeader(header);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int length);
        writer.WriteBytes(IfaLocal, bytes[..length]);
        writer.WriteBytes(IfaAddress, bytes[..length]);
        if (noDad && v6)
        {
            writer.WriteUInt32(IfaFlags, 0x02); // IFA_F_NODAD
        }
        writer.EndMessage(message);
        _connection.Execute(request, operation, $"{address}/{prefixLength} on {linkName}");
    }

    /// <summary>Starts a link message with its struct ifinfomsg; the caller adds attributes and ends it.</summary>
    private static NetlinkWriter WriteInfo(NetlinkBuffer request, ushort type, NetlinkMessageFlags flags, int index, uint ifFlags, uint change, out NetlinkMessageToken message)
    {
        var writer = new NetlinkWriter(request);
        message = writer.BeginMessage(type, flags, 0);
        // struct ifinfomsg { family, pad, type, index, flags, change }
        Span<byte> header = stackalloc byte[IfInfoMsgSize];
        header.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], ifFlags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], change);
        writer.WriteFixedHeader(header);
        return writer;
    }

    private static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 15 || name.Contains('/', StringComparison.Ordinal) || name.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"'{name}' is not a valid interface name (at most 15 characters, no '/' or spaces)", nameof(name));
        }
    }

    /// <summary>Decodes an RTM_NEWLINK message.</summary>
    public static Link ParseLink(NetlinkMessage message)
    {
        ReadOnlySpan<byte> header = message.Payload.Length >= IfInfoMsgSize ? message.Payload : throw new NetlinkProtocolException("link message shorter than struct ifinfomsg");
        int index = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        string? name = null;
        string? kind = null;
        uint mtu = 0;
        byte[] hardware = [];
        byte operState = 0;
        foreach (NetlinkAttribute attribute in message.Attributes(IfInfoMsgSize))
        {
            switch (attribute.Type)
            {
                case IflaIfname: name = attribute.GetString(); break;
                case IflaMtu: mtu = attribute.GetUInt32(); break;
                case IflaAddress: hardware = attribute.Payload.ToArray(); break;
                case IflaOperstate: operState = attribute.GetByte(); break;
                case IflaLinkinfo:
                    foreach (NetlinkAttribute info in attribute.GetNested())
                    {
                        if (info.Type == IflaInfoKind)
                        {
                            kind = info.GetString();
                        }
                    }
                    break;
                default: break;
            }
        }
        return new Link(index, name ?? throw new NetlinkProtocolException($"link {index} without IFLA_IFNAME"), kind, flags, mtu, hardware, operState);
    }

    /// <summary>Decodes an RTM_NEWADDR message.</summary>
    public static InterfaceAddress ParseAddress(NetlinkMessage message)
    {
        ReadOnlySpan<byte> header = message.Payload.Length >= IfAddrMsgSize ? message.Payload : throw new NetlinkProtocolException("address message shorter than struct ifaddrmsg");
        byte family = header[0];
        int length = family switch
        {
            LinuxAddressFamily.Inet => 4,
            LinuxAddressFamily.Inet6 => 16,
            _ => throw new NetlinkProtocolException($"address family {family} is neither AF_INET nor AF_INET6"),
        };
        uint flags = header[2];
        byte scope = header[3];
        int index = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        IPAddress? address = null;
        IPAddress? local = null;
        string? label = null;
        foreach (NetlinkAttribute attribute in message.Attributes(IfAddrMsgSize))
        {
            switch (attribute.Type)
            {
                case IfaAddress: address = new IPAddress(attribute.Expect(length)); break;
                case IfaLocal: local = new IPAddress(attribute.Expect(length)); break;
                case IfaLabel: label = attribute.GetString(); break;
                case IfaFlags: flags = attribute.GetUInt32(); break;
                default: break;
            }
        }
        IPAddress own = local ?? address ?? throw new NetlinkProtocolException($"address message for link {index} without an address");
        return new InterfaceAddress(index, own, header[1], label, flags, scope);
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
