using System.Buffers.Binary;
using Netlink.Netfilter.NfTables.Expressions;
using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Codec;

/// <summary>
/// Writes nf_tables request messages (nlmsghdr + struct nfgenmsg + attributes) with sequence 0; the connection stamps
/// sequence numbers, the port id and NLM_F_REQUEST/NLM_F_ACK when it sends them.
/// </summary>
internal static class NfMessageWriter
{
    /// <summary>sizeof(struct nfgenmsg).</summary>
    public const int NfGenMsgSize = 4;

    /// <summary>The largest element list written into one message; a nested attribute cannot exceed 65535 bytes.</summary>
    public const int MaxElementListBytes = 60 * 1024;

    public static ushort MessageType(ushort nftMessage) => (ushort)((NFNL_SUBSYS_NFTABLES << 8) | nftMessage);

    /// <summary>Starts an nf_tables message: nlmsghdr and nfgenmsg {family, NFNETLINK_V0, res_id 0}.</summary>
    public static NetlinkMessageToken Begin(NetlinkWriter writer, ushort nftMessage, NetlinkMessageFlags flags, TableFamily family) =>
        Begin(writer, MessageType(nftMessage), flags, (byte)family, 0);

    private static NetlinkMessageToken Begin(NetlinkWriter writer, ushort type, NetlinkMessageFlags flags, byte family, ushort resId)
    {
        NetlinkMessageToken token = writer.BeginMessage(type, flags, 0);
        Span<byte> nfgenmsg = stackalloc byte[NfGenMsgSize];
        nfgenmsg[0] = family;
        nfgenmsg[1] = NFNETLINK_V0;
        BinaryPrimitives.WriteUInt16BigEndian(nfgenmsg[2..], resId);
        writer.WriteFixedHeader(nfgenmsg);
        return token;
    }

    /// <summary>NFNL_MSG_BATCH_BEGIN for NFNL_SUBSYS_NFTABLES (res_id in network order), with NFNL_BATCH_GENID unless <paramref name="generation"/> is 0.</summary>
    public static void BatchBegin(NetlinkWriter writer, uint generation)
    {
        NetlinkMessageToken token = Begin(writer, NFNL_MSG_BATCH_BEGIN, NetlinkMessageFlags.None, NFPROTO_UNSPEC, NFNL_SUBSYS_NFTABLES);
        if (generation != 0)
        {
            writer.WriteUInt32BigEndian(NFNL_BATCH_GENID, generation);
        }
        writer.EndMessage(token);
    }

    /// <summary>NFNL_MSG_BATCH_END.</summary>
    public static void BatchEnd(NetlinkWriter writer)
    {
        NetlinkMessageToken token = Begin(writer, NFNL_MSG_BATCH_END, NetlinkMessageFlags.None, NFPROTO_UNSPEC, NFNL_SUBSYS_NFTABLES);
        writer.EndMessage(token);
    }

    public static void NewTable(NetlinkWriter writer, Table table, NetlinkMessageFlags flags)
    {
        NetlinkMessageToken token = Begin(writer, NFT_MSG_NEWTABLE, flags, table.Family);
        writer.WriteString(NFTA_TABLE_NAME, table.Name);
        writer.WriteUInt32BigEndian(NFTA_TABLE_FLAGS, table.Flags);
        writer.EndMessage(token);
    }

    public static void DeleteTable(NetlinkWriter writer, TableFamily family, string name)
    {
        NetlinkMessageToken token = Begin(writer, NFT_MSG_DELTABLE, NetlinkMessageFlags.None, family);
        writer.WriteString(NFTA_TABLE_NAME, name);
        writer.EndMessage(token);
    }

    public static void NewChain(NetlinkWriter writer, Chain chain, NetlinkMessageFlags flags)
    {
        NetlinkMessageToken token = Begin(writer, NFT_MSG_NEWCHAIN, flags, chain.Family);
        writer.WriteString(NFTA_CHAIN_TABLE, chain.Table);
        writer.WriteString(NFTA_CHAIN_NAME, chain.Name);
        if (chain.Base is { } spec)
        {
            NetlinkNestToken hook = writer.BeginNested(NFTA_CHAIN_HOOK);
            writer.WriteUInt32BigEndian(NFTA_HOOK_HOOKNUM, (uint)spec.Hook);
            writer.WriteUInt32BigEndian(NFTA_HOOK_PRIORITY, (uint)spec.Priority);
            if (spec.Device is not null)
            {
                writer.WriteString(NFTA_HOOK_DEV, spec.Device);
            }
            writer.EndNested(hook);
            writer.WriteUInt32BigEndian(NFTA_CHAIN_POLICY, (uint)spec.Policy);
            writer.WriteString(NFTA_CHAIN_TYPE, ChainTypeName(spec.Type));
        }
        writer.EndMessage(token);
    }

    public static string ChainTypeName(ChainType type) => type switch
    {
        ChainType.Filter => "filter",
        ChainType.Nat => "nat",
        ChainType.Route => "route",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown chain type"),
    };

    /// <summary>NFT_MSG_DELCHAIN, or with <paramref name="flush"/> NFT_MSG_DELRULE for every rule of the chain.</summary>
    public static void DeleteChain(NetlinkWriter writer, TableFamily family, string table, string chain, bool flush)
    {
        NetlinkMessageToken token = Begin(writer, flush ? NFT_MSG_DELRULE : NFT_MSG_DELCHAIN, NetlinkMessageFlags.None, family);
        writer.WriteString(flush ? NFTA_RULE_TABLE : NFTA_CHAIN_TABLE, table);
        writer.WriteString(flush ? NFTA_RULE_CHAIN : NFTA_CHAIN_NAME, chain);
        writer.EndMessage(token);
    }

    /// <summary>NFT_MSG_NEWRULE. <paramref name="position"/> is NFTA_RULE_POSITION (a handle), <paramref name="replace"/> uses the rule's handle.</summary>
    public static void NewRule(NetlinkWriter writer, Rule rule, NetlinkMessageFlags flags, ulong position, bool replace)
    {
        NetlinkMessageToken token = Begin(writer, NFT_MSG_NEWRULE, flags, rule.Family);
        writer.WriteString(NFTA_RULE_TABLE, rule.Table);
        writer.WriteString(NFTA_RULE_CHAIN, rule.Chain);
        if (replace)
        {
            writer.WriteUInt64BigEndian(NFTA_RULE_HANDLE, rule.Handle);
        }
        if (position != 0)
        {
            writer.WriteUInt64BigEndian(NFTA_RULE_POSITION, position);
        }
        ExpressionCodec.Write(writer, rule.Expressions);
        if (rule.UserData is { } userData)
        {
            writer.WriteBytes(NFTA_RULE_USERDATA, userData.Span);
        }
        else if (rule.Comment is not null)
        {
            UserData.WriteComment(writer, NFTA_RULE_USERDATA, UserData.RuleComment, rule.Comment);
        }
        writer.EndMessage(token);
    }

    public static void DeleteRule(NetlinkWriter writer, TableFamily family, string table, string chain, ulong handle)
    {
        NetlinkMessageToken token = Begin(writer, NFT_MSG_DELRULE, NetlinkMessageFlags.None, family);
        writer.WriteString(NFTA_RULE_TABLE, table);
        writer.WriteString(NFTA_RULE_CHAIN, chain);
        writer.WriteUInt64BigEndian(NFTA_RULE_HANDLE, handle);
        writer.EndMessage(token);
    }

    /// <summary>NFT_MSG_NEWSET. The kernel requires NFTA_SET_ID; <paramref name="id"/> is used when the set has none.</summary>
    public static void NewSet(NetlinkWriter writer, NftSet set, NetlinkMessageFlags flags, uint id)
    {
        NetlinkMessageToken token = Begin(writer, NFT_MSG_NEWSET, flags, set.Family);
        writer.WriteString(NFTA_SET_TABLE, set.Table);
        writer.WriteString(NFTA_SET_NAME, set.Name);
        // Like nft: field lengths (NFTA_SET_DESC_CONCAT, which the kernel accepts only with NFT_SET_CONCAT) go only with
        // interval concatenations, whose pipapo backend matches each field as a range.
        bool describeFields = set.KeyType.IsConcatenation && (set.Flags & SetFlags.Interval) != 0;
        SetFlags setFlags = set.Flags | (set.IsMap ? SetFlags.Map : SetFlags.None) | (describeFields ? SetFlags.Concat : SetFlags.None);
        writer.WriteUInt32BigEndian(NFTA_SET_FLAGS, (uint)setFlags);
        writer.WriteUInt32BigEndian(NFTA_SET_KEY_TYPE, set.KeyType.Id);
        writer.WriteUInt32BigEndian(NFTA_SET_KEY_LEN, (uint)set.KeyType.Length);
        if (set.DataType is { } data)
        {
            writer.WriteUInt32BigEndian(NFTA_SET_DATA_TYPE, data.Id);
            if (data.Id != NFT_DATA_VERDICT)
            {
                writer.WriteUInt32BigEndian(NFTA_SET_DATA_LEN, (uint)data.Length);
            }
        }
        if (set.Timeout is { } timeout)
        {
            writer.WriteUInt64BigEndian(NFTA_SET_TIMEOUT, (ulong)timeout.TotalMilliseconds);
        }
        if (set.Size != 0 || describeFields)
        {
            NetlinkNestToken desc = writer.BeginNested(NFTA_SET_DESC);
            if (set.Size != 0)
            {
                writer.WriteUInt32BigEndian(NFTA_SET_DESC_SIZE, set.Size);
            }
            if (describeFields)
            {
                NetlinkNestToken concat = writer.BeginNested(NFTA_SET_DESC_CONCAT);
                foreach (int length in set.KeyType.FieldLengths)
                {
                    NetlinkNestToken field = writer.BeginNested(NFTA_LIST_ELEM);
                    writer.WriteUInt32BigEndian(NFTA_SET_FIELD_LEN, (uint)length);
                    writer.EndNested(field);
                }
                writer.EndNested(concat);
            }
            writer.EndNested(desc);
        }
        writer.WriteUInt32BigEndian(NFTA_SET_ID, set.Id != 0 ? set.Id : id);
        if (set.UserData is { } userData)
        {
            writer.WriteBytes(NFTA_SET_USERDATA, userData.Span);
        }
        else
        {
            UserData.WriteSetByteOrders(writer, NFTA_SET_USERDATA, set.KeyType.ByteOrder, set.DataType?.ByteOrder);
        }
        writer.EndMessage(token);
    }

    public static void DeleteSet(NetlinkWriter writer, TableFamily family, string table, string name)
    {
        NetlinkMessageToken token = Begin(writer, NFT_MSG_DELSET, NetlinkMessageFlags.None, family);
        writer.WriteString(NFTA_SET_TABLE, table);
        writer.WriteString(NFTA_SET_NAME, name);
        writer.EndMessage(token);
    }

    /// <summary>Starts NFT_MSG_NEWSETELEM or NFT_MSG_DELSETELEM up to the opening of NFTA_SET_ELEM_LIST_ELEMENTS.</summary>
    public static NetlinkMessageToken BeginElements(NetlinkWriter writer, bool add, NetlinkMessageFlags flags, TableFamily family, string table, string set, out NetlinkNestToken list)
    {
        NetlinkMessageToken token = Begin(writer, add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM, flags, family);
        writer.WriteString(NFTA_SET_ELEM_LIST_TABLE, table);
        writer.WriteString(NFTA_SET_ELEM_LIST_SET, set);
        list = writer.BeginNested(NFTA_SET_ELEM_LIST_ELEMENTS);
        return token;
    }

    public static void EndElements(NetlinkWriter writer, NetlinkMessageToken token, NetlinkNestToken list)
    {
        writer.EndNested(list);
        writer.EndMessage(token);
    }

    /// <summary>One NFTA_LIST_ELEM of an element list.</summary>
    public static void Element(NetlinkWriter writer, SetElement element, bool withData)
    {
        NetlinkNestToken item = writer.BeginNested(NFTA_LIST_ELEM);
        if ((element.Flags & SetElementFlags.CatchAll) == 0)
        {
            NfData.WriteValue(writer, NFTA_SET_ELEM_KEY, element.Key.Span);
        }
        if (element.KeyEnd is { } keyEnd)
        {
            NfData.WriteValue(writer, NFTA_SET_ELEM_KEY_END, keyEnd.Span);
        }
        if (withData)
        {
            if (element.Verdict is not null)
            {
                NfData.WriteVerdict(writer, NFTA_SET_ELEM_DATA, element.Verdict);
            }
            else if (element.Data is { } data)
            {
                NfData.WriteValue(writer, NFTA_SET_ELEM_DATA, data.Span);
            }
        }
        if (element.Flags != SetElementFlags.None)
        {
            writer.WriteUInt32BigEndian(NFTA_SET_ELEM_FLAGS, (uint)element.Flags);
        }
        if (element.Timeout is { } timeout)
        {
            writer.WriteUInt64BigEndian(NFTA_SET_ELEM_TIMEOUT, (ulong)timeout.TotalMilliseconds);
        }
        if (withData && element.UserData is { } userData)
        {
            writer.WriteBytes(NFTA_SET_ELEM_USERDATA, userData.Span);
        }
        writer.EndNested(item);
    }

    /// <summary>A GET request: a dump of every object of a kind (optionally of one family), or of one table's rules or one set's elements.</summary>
    public static void Get(NetlinkWriter writer, ushort nftMessage, TableFamily? family, string? table = null, string? name = null)
    {
        NetlinkMessageToken token = Begin(writer, MessageType(nftMessage), NetlinkMessageFlags.None, (byte)(family ?? 0), 0);
        switch (nftMessage)
        {
            case NFT_MSG_GETRULE:
                if (table is not null)
                {
                    writer.WriteString(NFTA_RULE_TABLE, table);
                }
                if (name is not null)
                {
                    writer.WriteString(NFTA_RULE_CHAIN, name);
                }
                break;
            case NFT_MSG_GETSETELEM:
                writer.WriteString(NFTA_SET_ELEM_LIST_TABLE, table!);
                writer.WriteString(NFTA_SET_ELEM_LIST_SET, name!);
                break;
            case NFT_MSG_GETCHAIN:
                if (table is not null)
                {
                    writer.WriteString(NFTA_CHAIN_TABLE, table);
                }
                break;
            case NFT_MSG_GETSET:
                if (table is not null)
                {
                    writer.WriteString(NFTA_SET_TABLE, table);
                }
                break;
            default:
                break;
        }
        writer.EndMessage(token);
    }
}
