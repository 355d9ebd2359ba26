using Netlink.Netfilter.NfTables.Expressions;
using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Codec;

/// <summary>
/// Reads the kernel's NFT_MSG_NEW* messages (dump replies) into the model. Every length is checked; malformed input
/// throws <see cref="NetlinkProtocolException"/> and nothing else. Attributes it does not know are skipped, except in
/// expressions, which keep them whole as <see cref="OpaqueExpression"/>.
/// </summary>
internal static class NfMessageParser
{
    /// <summary>The nf_tables message type (NFT_MSG_*) of <paramref name="message"/>, or -1 if it is not nf_tables'.</summary>
    public static int NftMessage(in NetlinkMessage message) =>
        message.Type >> 8 == NFNL_SUBSYS_NFTABLES ? message.Type & 0xff : -1;

    private static TableFamily Family(in NetlinkMessage message)
    {
        if (message.Payload.Length < NfMessageWriter.NfGenMsgSize)
        {
            throw new NetlinkProtocolException($"nf_tables message with {message.Payload.Length} payload bytes, shorter than struct nfgenmsg");
        }
        return (TableFamily)message.Payload[0];
    }

    // The kernel names every table, chain and set; an empty name is a malformed reply, refused here rather than by
    // the argument checks of whatever the caller does next with the name (found by fuzzing: ListRuleset listing the
    // elements of a set named "").
    private static string Required(string? value, string what, string message) => value switch
    {
        null => throw new NetlinkProtocolException($"{message} without {what}"),
        "" => throw new NetlinkProtocolException($"{message} with an empty {what}"),
        _ => value,
    };

    public static Table ParseTable(in NetlinkMessage message)
    {
        TableFamily family = Family(message);
        string? name = null;
        uint flags = 0, use = 0;
        ulong handle = 0;
        foreach (NetlinkAttribute a in message.Attributes(NfMessageWriter.NfGenMsgSize))
        {
            switch (a.Type)
            {
                case NFTA_TABLE_NAME: name = a.GetString(); break;
                case NFTA_TABLE_FLAGS: flags = a.GetUInt32BigEndian(); break;
                case NFTA_TABLE_USE: use = a.GetUInt32BigEndian(); break;
                case NFTA_TABLE_HANDLE: handle = a.GetUInt64BigEndian(); break;
                default: break;
            }
        }
        return new Table(family, Required(name, "NFTA_TABLE_NAME", "table")) { Flags = flags, Use = use, Handle = handle };
    }

    public static Chain ParseChain(in NetlinkMessage message)
    {
        TableFamily family = Family(message);
        string? table = null, name = null, type = null, device = null;
        uint? hooknum = null, policy = null;
        int priority = 0;
        uint use = 0, flags = 0;
        ulong handle = 0;
        foreach (NetlinkAttribute a in message.Attributes(NfMessageWriter.NfGenMsgSize))
        {
            switch (a.Type)
            {
                case NFTA_CHAIN_TABLE: table = a.GetString(); break;
                case NFTA_CHAIN_NAME: name = a.GetString(); break;
                case NFTA_CHAIN_HANDLE: handle = a.GetUInt64BigEndian(); break;
                case NFTA_CHAIN_USE: use = a.GetUInt32BigEndian(); break;
                case NFTA_CHAIN_FLAGS: flags = a.GetUInt32BigEndian(); break;
                case NFTA_CHAIN_TYPE: type = a.GetString(); break;
                case NFTA_CHAIN_POLICY: policy = a.GetUInt32BigEndian(); break;
                case NFTA_CHAIN_HOOK:
                    foreach (NetlinkAttribute h in a.GetNested())
                    {
                        switch (h.Type)
                        {
                            case NFTA_HOOK_HOOKNUM: hooknum = h.GetUInt32BigEndian(); break;
                            case NFTA_HOOK_PRIORITY: priority = (int)h.GetUInt32BigEndian(); break;
                            case NFTA_HOOK_DEV: device = h.GetString(); break;
                            default: break;
                        }
                    }
                    break;
                default: break;
            }
        }
        BaseChainSpec? spec = null;
        if (hooknum is { } hook)
        {
            ChainType chainType = type switch
            {
                "nat" => ChainType.Nat,
                "route" => ChainType.Route,
                _ => ChainType.Filter,
            };
            spec = new BaseChainSpec(chainType, (HookPoint)hook, priority, (ChainPolicy)(policy ?? NF_ACCEPT), device);
        }
        return new Chain(family, Required(table, "NFTA_CHAIN_TABLE", "chain"), Required(name, "NFTA_CHAIN_NAME", "chain"))
        {
            Base = spec,
            Handle = handle,
            Use = use,
            Flags = flags,
        };
    }

    public static Rule ParseRule(in NetlinkMessage message)
    {
        TableFamily family = Family(message);
        string? table = null, chain = null;
        ulong handle = 0;
        List<Expression>? expressions = null;
        byte[]? userData = null;
        foreach (NetlinkAttribute a in message.Attributes(NfMessageWriter.NfGenMsgSize))
        {
            switch (a.Type)
            {
                case NFTA_RULE_TABLE: table = a.GetString(); break;
                case NFTA_RULE_CHAIN: chain = a.GetString(); break;
                case NFTA_RULE_HANDLE: handle = a.GetUInt64BigEndian(); break;
                case NFTA_RULE_EXPRESSIONS: expressions = ExpressionCodec.Read(a); break;
                case NFTA_RULE_USERDATA: userData = a.Payload.ToArray(); break;
                default: break;
            }
        }
        string? comment = null;
        bool onlyComment = false;
        if (userData is not null)
        {
            comment = UserData.ReadComment(userData, UserData.RuleComment, out onlyComment);
        }
        return new Rule(family, Required(table, "NFTA_RULE_TABLE", "rule"), Required(chain, "NFTA_RULE_CHAIN", "rule"), expressions ?? [])
        {
            Handle = handle,
            Comment = comment,
            UserData = userData is not null && !onlyComment ? userData : (ReadOnlyMemory<byte>?)null,
        };
    }

    public static NftSet ParseSet(in NetlinkMessage message)
    {
        TableFamily family = Family(message);
        string? table = null, name = null;
        uint flags = 0, keyType = 0, keyLength = 0, id = 0, size = 0;
        uint? dataType = null, dataLength = null;
        ulong handle = 0;
        TimeSpan? timeout = null;
        byte[]? userData = null;
        List<int>? fields = null;
        foreach (NetlinkAttribute a in message.Attributes(NfMessageWriter.NfGenMsgSize))
        {
            switch (a.Type)
            {
                case NFTA_SET_TABLE: table = a.GetString(); break;
                case NFTA_SET_NAME: name = a.GetString(); break;
                case NFTA_SET_FLAGS: flags = a.GetUInt32BigEndian(); break;
                case NFTA_SET_KEY_TYPE: keyType = a.GetUInt32BigEndian(); break;
                case NFTA_SET_KEY_LEN: keyLength = a.GetUInt32BigEndian(); break;
                case NFTA_SET_DATA_TYPE: dataType = a.GetUInt32BigEndian(); break;
                case NFTA_SET_DATA_LEN: dataLength = a.GetUInt32BigEndian(); break;
                case NFTA_SET_ID: id = a.GetUInt32BigEndian(); break;
                case NFTA_SET_HANDLE: handle = a.GetUInt64BigEndian(); break;
                case NFTA_SET_TIMEOUT: timeout = Milliseconds(a); break;
                case NFTA_SET_USERDATA: userData = a.Payload.ToArray(); break;
                case NFTA_SET_DESC:
                    foreach (NetlinkAttribute d in a.GetNested())
                    {
                        if (d.Type == NFTA_SET_DESC_SIZE)
                        {
                            size = d.GetUInt32BigEndian();
                        }
                        else if (d.Type == NFTA_SET_DESC_CONCAT)
                        {
                            fields = [];
                            foreach (NetlinkAttribute element in d.GetNested())
                            {
                                foreach (NetlinkAttribute f in element.GetNested())
                                {
                                    if (f.Type == NFTA_SET_FIELD_LEN)
                                    {
                                        uint length = f.GetUInt32BigEndian();
                                        if (length > 64)
                                        {
                                            throw new NetlinkProtocolException($"set field of {length} bytes");
                                        }
                                        fields.Add((int)length);
                                    }
                                }
                            }
                        }
                    }
                    break;
                default: break;
            }
        }
        if (keyLength > 1024 || dataLength > 1024)
        {
            throw new NetlinkProtocolException($"set key of {keyLength} bytes or data of {dataLength} bytes");
        }
        SetType? data = dataType is { } dt ? SetType.FromKernel(dt, (int)(dataLength ?? 0), null) : null;
        return new NftSet(family, Required(table, "NFTA_SET_TABLE", "set"), Required(name, "NFTA_SET_NAME", "set"), SetType.FromKernel(keyType, (int)keyLength, fields))
        {
            DataType = data,
            Flags = (SetFlags)flags,
            Timeout = timeout,
            Size = size,
            Id = id,
            Handle = handle,
            UserData = userData is null ? null : (ReadOnlyMemory<byte>?)userData,
        };
    }

    /// <summary>Adds the elements of one NFT_MSG_NEWSETELEM message to <paramref name="into"/>.</summary>
    public static void ParseElements(in NetlinkMessage message, List<SetElement> into)
    {
        _ = Family(message);
        foreach (NetlinkAttribute a in message.Attributes(NfMessageWriter.NfGenMsgSize))
        {
            if (a.Type != NFTA_SET_ELEM_LIST_ELEMENTS)
            {
                continue;
            }
            foreach (NetlinkAttribute item in a.GetNested())
            {
                if (item.Type == NFTA_LIST_ELEM)
                {
                    into.Add(ParseElement(item));
                }
            }
        }
    }

    private static SetElement ParseElement(NetlinkAttribute item)
    {
        byte[]? key = null, keyEnd = null, data = null, userData = null;
        Verdict? verdict = null;
        uint flags = 0;
        TimeSpan? timeout = null, expiration = null;
        foreach (NetlinkAttribute a in item.GetNested())
        {
            switch (a.Type)
            {
                case NFTA_SET_ELEM_KEY: key = NfData.ReadValue(a); break;
                case NFTA_SET_ELEM_KEY_END: keyEnd = NfData.ReadValue(a); break;
                case NFTA_SET_ELEM_DATA: NfData.Read(a, out data, out verdict); break;
                case NFTA_SET_ELEM_FLAGS: flags = a.GetUInt32BigEndian(); break;
                case NFTA_SET_ELEM_TIMEOUT: timeout = Milliseconds(a); break;
                case NFTA_SET_ELEM_EXPIRATION: expiration = Milliseconds(a); break;
                case NFTA_SET_ELEM_USERDATA: userData = a.Payload.ToArray(); break;
                default: break;
            }
        }
        if (key is null && (flags & NFT_SET_ELEM_CATCHALL) == 0)
        {
            throw new NetlinkProtocolException("set element without NFTA_SET_ELEM_KEY");
        }
        return new SetElement(key ?? [])
        {
            KeyEnd = keyEnd is null ? null : (ReadOnlyMemory<byte>?)keyEnd,
            Data = data is null ? null : (ReadOnlyMemory<byte>?)data,
            Verdict = verdict,
            Flags = (SetElementFlags)flags,
            Timeout = timeout,
            Expiration = expiration,
            UserData = userData is null ? null : (ReadOnlyMemory<byte>?)userData,
        };
    }

    private static TimeSpan Milliseconds(NetlinkAttribute attribute)
    {
        ulong milliseconds = attribute.GetUInt64BigEndian();
        return milliseconds <= (ulong)TimeSpan.MaxValue.TotalMilliseconds - 1
            ? TimeSpan.FromMilliseconds(milliseconds)
            : throw new NetlinkProtocolException($"a timeout of {milliseconds} ms");
    }

    /// <summary>NFTA_GEN_ID of an NFT_MSG_NEWGEN message.</summary>
    public static uint ParseGeneration(in NetlinkMessage message)
    {
        _ = Family(message);
        foreach (NetlinkAttribute a in message.Attributes(NfMessageWriter.NfGenMsgSize))
        {
            if (a.Type == NFTA_GEN_ID)
            {
                return a.GetUInt32BigEndian();
            }
        }
        throw new NetlinkProtocolException("NFT_MSG_NEWGEN without NFTA_GEN_ID");
    }
}
