namespace Netlink.Generic;

/// <summary>
/// Looks up generic netlink families by name through the controller (GENL_ID_CTRL, CTRL_CMD_GETFAMILY) and caches
/// the answers for the life of the connection, so each family costs one round trip.
/// </summary>
public sealed class GenericNetlinkResolver
{
    /// <summary>GENL_ID_CTRL: the controller's fixed family id.</summary>
    public const ushort ControllerId = 0x10;

    private const byte CtrlCmdGetFamily = 3;
    private const ushort CtrlAttrFamilyId = 1;
    private const ushort CtrlAttrFamilyName = 2;
    private const ushort CtrlAttrVersion = 3;
    private const ushort CtrlAttrHeaderSize = 4;
    private const ushort CtrlAttrMaxAttr = 5;
    private const ushort CtrlAttrMulticastGroups = 7;
    private const ushort CtrlAttrMulticastGroupName = 1;
    private const ushort CtrlAttrMulticastGroupId = 2;

    private const string Operation = "resolve generic netlink family";

    private readonly NetlinkConnection _connection;
    private readonly Dictionary<string, GenericNetlinkFamily> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates a resolver that asks over <paramref name="connection"/> (a NETLINK_GENERIC socket).</summary>
    public GenericNetlinkResolver(NetlinkConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
    }

    /// <summary>
    /// Returns the family named <paramref name="name"/>, or throws <see cref="NetlinkException"/> with ENOENT when
    /// the kernel has no such family (module not loaded, or not built).
    /// </summary>
    public GenericNetlinkFamily Resolve(string name) =>
        Lookup(name, out NetlinkOperationError? refused) ?? throw NetlinkException.Refused(refused!.Value, Operation, name);

    /// <summary>
    /// Returns the family named <paramref name="name"/>, or null when the kernel has no such family (ENOENT), without
    /// an exception: asking whether a module is there is an ordinary question. Other refusals still throw.
    /// </summary>
    public GenericNetlinkFamily? TryResolve(string name)
    {
        GenericNetlinkFamily? family = Lookup(name, out NetlinkOperationError? refused);
        if (refused is { ErrorNumber: not Errno.ENOENT } e)
        {
            throw NetlinkException.Refused(e, Operation, name);
        }
        return family;
    }

    private GenericNetlinkFamily? Lookup(string name, out NetlinkOperationError? refused)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        refused = null;
        if (_cache.TryGetValue(name, out GenericNetlinkFamily? cached))
        {
            return cached;
        }
        using var request = new NetlinkBuffer(128);
        var writer = new NetlinkWriter(request);
        NetlinkMessageToken message = writer.BeginMessage(ControllerId, NetlinkMessageFlags.Request, 0);
        writer.WriteGenericHeader(CtrlCmdGetFamily, 1);
        writer.WriteString(CtrlAttrFamilyName, name);
        writer.EndMessage(message);
        refused = _connection.TryQuery(request, Parse, out GenericNetlinkFamily? reply);
        if (refused is not null)
        {
            return null;
        }
        GenericNetlinkFamily family = reply ?? throw new NetlinkProtocolException($"controller acknowledged family '{name}' without describing it");
        _cache[name] = family;
        return family;
    }

    /// <summary>Forgets cached families (for example after loading a module).</summary>
    public void Clear() => _cache.Clear();

    /// <summary>Decodes a CTRL_CMD_NEWFAMILY message (the reply to GETFAMILY, or one entry of its dump).</summary>
    public static GenericNetlinkFamily Parse(NetlinkMessage message)
    {
        string? name = null;
        ushort id = 0;
        uint version = 0, headerSize = 0, maxAttribute = 0;
        var groups = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (NetlinkAttribute attribute in message.GenericAttributes)
        {
            switch (attribute.Type)
            {
                case CtrlAttrFamilyId: id = attribute.GetUInt16(); break;
                case CtrlAttrFamilyName: name = attribute.GetString(); break;
                case CtrlAttrVersion: version = attribute.GetUInt32(); break;
                case CtrlAttrHeaderSize: headerSize = attribute.GetUInt32(); break;
                case CtrlAttrMaxAttr: maxAttribute = attribute.GetUInt32(); break;
                case CtrlAttrMulticastGroups:
                    foreach (NetlinkAttribute group in attribute.GetNested())
                    {
                        string? groupName = null;
                        uint groupId = 0;
                        foreach (NetlinkAttribute field in group.GetNested())
                        {
                            if (field.Type == CtrlAttrMulticastGroupName)
                            {
                                groupName = field.GetString();
                            }
                            else if (field.Type == CtrlAttrMulticastGroupId)
                            {
                                groupId = field.GetUInt32();
                            }
                        }
                        if (groupName is not null)
                        {
                            groups[groupName] = groupId;
                        }
                    }
                    break;
                default: break;
            }
        }
        if (name is null || id == 0)
        {
            throw new NetlinkProtocolException("family description lacks its name or id");
        }
        return new GenericNetlinkFamily(name, id, version, headerSize, maxAttribute, groups);
    }
}
