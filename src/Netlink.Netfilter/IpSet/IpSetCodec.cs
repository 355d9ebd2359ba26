using System.Net;
using System.Net.Sockets;
using static Netlink.Netfilter.IpSet.IpSetConstants;

namespace Netlink.Netfilter.IpSet;

/// <summary>
/// ipset's messages on the wire: an nfgenmsg header, IPSET_ATTR_PROTOCOL first, then the command's attributes. Numbers
/// inside IPSET_ATTR_DATA are big-endian and must carry NLA_F_NET_BYTEORDER, or the kernel refuses them with
/// IPSET_ERR_PROTOCOL; addresses nest inside IPSET_ATTR_IP as IPSET_ATTR_IPADDR_IPV4/IPV6.
/// </summary>
internal static class IpSetCodec
{
    private const int NfGenMsgSize = 4;
    private const byte NfnetlinkV0 = 0;
    private const ushort NetOrder = NetlinkWriter.NetworkByteOrderFlag;

    /// <summary>Starts a message of <paramref name="command"/> with its protocol attribute written.</summary>
    public static NetlinkWriter Begin(NetlinkBuffer buffer, byte command, NetlinkMessageFlags flags, out NetlinkMessageToken message)
    {
        var writer = new NetlinkWriter(buffer);
        message = writer.BeginMessage((ushort)((SubsystemIpSet << 8) | command), flags, 0);
        // libipset puts AF_INET here whatever the set; the kernel reads the family from IPSET_ATTR_FAMILY.
        writer.WriteFixedHeader([LinuxAddressFamily.Inet, NfnetlinkV0, 0, 0]);
        writer.WriteByte(AttrProtocol, Protocol);
        return writer;
    }

    /// <summary>
    /// A whole element request (add, delete or test): the set's name and the element as IPSET_ATTR_DATA. Checks the
    /// name and the element first.
    /// </summary>
    public static void WriteElementMessage(NetlinkBuffer buffer, byte command, NetlinkMessageFlags flags, string setName, IpSetEntry entry)
    {
        IpSetNames.Check(setName);
        ArgumentNullException.ThrowIfNull(entry);
        NetlinkWriter writer = Begin(buffer, command, flags, out NetlinkMessageToken message);
        writer.WriteString(AttrSetName, setName);
        WriteEntry(ref writer, entry);
        writer.EndMessage(message);
    }

    /// <summary>IPSET_ATTR_DATA of a create: the sizes of a hash type, or the range of bitmap:port.</summary>
    public static void WriteCreateData(ref NetlinkWriter writer, IpSetDefinition set)
    {
        NetlinkNestToken data = writer.BeginNested(AttrData);
        if (set.Type == IpSetType.BitmapPort)
        {
            writer.WriteUInt16BigEndian(AttrPort | NetOrder, set.PortFrom);
            writer.WriteUInt16BigEndian(AttrPortTo | NetOrder, set.PortTo);
        }
        else
        {
            if (set.HashSize is { } hashSize)
            {
                writer.WriteUInt32BigEndian(AttrHashSize | NetOrder, hashSize);
            }
            if (set.MaxElements is { } maxElements)
            {
                writer.WriteUInt32BigEndian(AttrMaxElem | NetOrder, maxElements);
            }
        }
        writer.EndNested(data);
    }

    /// <summary>An element as IPSET_ATTR_DATA.</summary>
    public static void WriteEntry(ref NetlinkWriter writer, IpSetEntry entry)
    {
        NetlinkNestToken data = writer.BeginNested(AttrData);
        if (entry.Address is { } address)
        {
            WriteAddress(ref writer, AttrIp, address);
        }
        if (entry.PrefixLength is { } prefix)
        {
            writer.WriteByte(AttrCidr, prefix);
        }
        if (entry.Port is { } port)
        {
            writer.WriteUInt16BigEndian(AttrPort | NetOrder, port);
        }
        if (entry.Protocol is { } protocol)
        {
            writer.WriteByte(AttrProto, (byte)protocol);
        }
        if (entry.Address2 is { } address2)
        {
            WriteAddress(ref writer, AttrIp2, address2);
        }
        if (entry.PrefixLength2 is { } prefix2)
        {
            writer.WriteByte(AttrCidr2, prefix2);
        }
        writer.EndNested(data);
    }

    private static void WriteAddress(ref NetlinkWriter writer, ushort type, IPAddress address)
    {
        NetlinkNestToken ip = writer.BeginNested(type);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int length);
        if (length == 4)
        {
            writer.WriteBytes(AttrIpAddrIpv4 | NetOrder, bytes[..4]);
        }
        else
        {
            writer.WriteBytes(AttrIpAddrIpv6 | NetOrder, bytes[..16]);
        }
        writer.EndNested(ip);
    }

    /// <summary>
    /// One message of a list dump: every message names its set; the first of a set also carries the header, and any may
    /// carry a part of its elements (IPSET_ATTR_ADT). <see cref="Merge"/> joins the parts.
    /// </summary>
    public static IpSetListing ParseListMessage(NetlinkMessage message)
    {
        string? name = null, typeName = null;
        byte family = 0, revision = 0;
        uint? hashSize = null, maxElements = null;
        uint references = 0, elements = 0, memory = 0;
        ushort? portFrom = null, portTo = null;
        var entries = new List<IpSetEntry>();
        foreach (NetlinkAttribute attribute in message.Attributes(NfGenMsgSize))
        {
            switch (attribute.Type)
            {
                case AttrSetName: name = attribute.GetString(); break;
                case AttrTypeName: typeName = attribute.GetString(); break;
                case AttrFamily: family = attribute.GetByte(); break;
                case AttrRevision: revision = attribute.GetByte(); break;
                case AttrData:
                    foreach (NetlinkAttribute header in attribute.GetNested())
                    {
                        switch (header.Type)
                        {
                            case AttrHashSize: hashSize = header.GetUInt32BigEndian(); break;
                            case AttrMaxElem: maxElements = header.GetUInt32BigEndian(); break;
                            case AttrReferences: references = header.GetUInt32BigEndian(); break;
                            case AttrElements: elements = header.GetUInt32BigEndian(); break;
                            case AttrMemSize: memory = header.GetUInt32BigEndian(); break;
                            case AttrPort: portFrom = header.GetUInt16BigEndian(); break;
                            case AttrPortTo: portTo = header.GetUInt16BigEndian(); break;
                            default: break;
                        }
                    }
                    break;
                case AttrAdt:
                    foreach (NetlinkAttribute data in attribute.GetNested())
                    {
                        if (data.Type == AttrData)
                        {
                            entries.Add(ParseEntry(data.GetNested()));
                        }
                    }
                    break;
                default: break;
            }
        }
        return new IpSetListing(name ?? throw new NetlinkProtocolException("ipset list reply without IPSET_ATTR_SETNAME"), typeName ?? "",
            (IpSetFamily)family, revision)
        {
            HashSize = hashSize,
            MaxElements = maxElements,
            PortRange = portFrom is { } from && portTo is { } to ? (from, to) : null,
            References = references,
            ElementCount = elements,
            MemorySize = memory,
            Entries = entries,
        };
    }

    /// <summary>Joins the parts of each set, in the order the kernel listed the sets.</summary>
    public static IReadOnlyList<IpSetListing> Merge(IEnumerable<IpSetListing> parts)
    {
        var sets = new List<IpSetListing>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (IpSetListing part in parts)
        {
            if (index.TryGetValue(part.Name, out int at))
            {
                IpSetListing first = sets[at];
                sets[at] = first with { Entries = [.. first.Entries, .. part.Entries] };
            }
            else if (part.TypeName.Length == 0)
            {
                throw new NetlinkProtocolException($"ipset list reply: elements of set {part.Name} came before its header");
            }
            else
            {
                index[part.Name] = sets.Count;
                sets.Add(part);
            }
        }
        return sets;
    }

    private static IpSetEntry ParseEntry(NetlinkAttributeReader attributes)
    {
        IPAddress? address = null, address2 = null;
        byte? prefix = null, prefix2 = null;
        ProtocolType? protocol = null;
        ushort? port = null;
        foreach (NetlinkAttribute part in attributes)
        {
            switch (part.Type)
            {
                case AttrIp: address = ParseAddress(part.GetNested()); break;
                case AttrIp2: address2 = ParseAddress(part.GetNested()); break;
                case AttrCidr: prefix = part.GetByte(); break;
                case AttrCidr2: prefix2 = part.GetByte(); break;
                case AttrProto: protocol = (ProtocolType)part.GetByte(); break;
                case AttrPort: port = part.GetUInt16BigEndian(); break;
                default: break;
            }
        }
        return new IpSetEntry(address, prefix, protocol, port, address2, prefix2);
    }

    private static IPAddress ParseAddress(NetlinkAttributeReader attributes)
    {
        foreach (NetlinkAttribute part in attributes)
        {
            switch (part.Type)
            {
                case AttrIpAddrIpv4: return new IPAddress(part.Expect(4));
                case AttrIpAddrIpv6: return new IPAddress(part.Expect(16));
                default: break;
            }
        }
        throw new NetlinkProtocolException("ipset element address without IPSET_ATTR_IPADDR_IPV4 or _IPV6");
    }

    /// <summary>The revision of an IPSET_CMD_TYPE reply: the newest the kernel has of the type.</summary>
    public static byte ParseTypeRevision(NetlinkMessage message)
    {
        foreach (NetlinkAttribute attribute in message.Attributes(NfGenMsgSize))
        {
            if (attribute.Type == AttrRevision)
            {
                return attribute.GetByte();
            }
        }
        throw new NetlinkProtocolException("ipset type reply without IPSET_ATTR_REVISION");
    }
}
