using System.Net;
using System.Net.Sockets;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Expressions;
using Netlink.Tests.Core;

namespace Netlink.Tests.NfTables;

/// <summary>
/// Golden bytes of every nf_tables request kind, field by field, each annotated as `nft --debug=netlink` prints it.
/// Messages are compared as written (sequence 0, port 0, no NLM_F_REQUEST/ACK: the connection stamps those on send).
/// Numbers are in host order (little-endian here) except where nf_tables says big-endian: all its u32/u64 attributes.
/// </summary>
public sealed class NfTablesGoldenTests
{
    private static byte[] Queued(Action<Transaction> build)
    {
        using var tx = new Transaction();
        build(tx);
        byte[] all = tx.Seal().WrittenSpan.ToArray();
        // Drop the batch begin (20 bytes) and end (20 bytes) around the operations.
        return all[20..^20];
    }

    [Fact]
    public void Batch_begin_and_end_frame_the_operations()
    {
        using var tx = new Transaction();
        tx.AddTable(new Table(TableFamily.IPv4, "nat"));
        byte[] all = tx.Seal().WrittenSpan.ToArray();
        Assert.Equal(WireHex.Parse(
            "14000000", "1000", "0000", "00000000", "00000000", // nlmsghdr: len 20, NFNL_MSG_BATCH_BEGIN, no flags
            "00", "00", "000a"), all[..20]);                      // nfgenmsg: AF_UNSPEC, NFNETLINK_V0, res_id NFNL_SUBSYS_NFTABLES (big-endian)
        Assert.Equal(WireHex.Parse(
            "14000000", "1100", "0000", "00000000", "00000000", // NFNL_MSG_BATCH_END
            "00", "00", "000a"), all[^20..]);
    }

    [Fact]
    public void Batch_begin_carries_the_generation_guard()
    {
        using var tx = new Transaction(generation: 0x12345678);
        tx.AddTable(new Table(TableFamily.IPv4, "nat"));
        Assert.Equal(WireHex.Parse(
            "1c000000", "1000", "0000", "00000000", "00000000",
            "00", "00", "000a",
            "0800", "0100", "12345678"),                       // NFNL_BATCH_GENID 0x12345678 (big-endian)
            tx.Seal().WrittenSpan[..28].ToArray());
    }

    [Fact]
    public void Add_table()
    {
        // ip nat (null) use 0
        Assert.Equal(WireHex.Parse(
            "24000000", "000a", "0004", "00000000", "00000000", // len 36, NFT_MSG_NEWTABLE (10 << 8 | 0), NLM_F_CREATE
            "02", "00", "0000",                                 // nfgenmsg: NFPROTO_IPV4, v0, res_id 0
            "0800", "0100", "6e617400",                         // NFTA_TABLE_NAME "nat"
            "0800", "0200", "00000000"),                        // NFTA_TABLE_FLAGS 0
            Queued(tx => tx.AddTable(new Table(TableFamily.IPv4, "nat"))));
    }

    [Fact]
    public void Add_table_exclusive_and_delete_table()
    {
        byte[] bytes = Queued(tx => tx.AddTable(new Table(TableFamily.Inet, "f"), exclusive: true).DeleteTable(TableFamily.Inet, "f"));
        Assert.Equal(WireHex.Parse(
            "24000000", "000a", "0006", "00000000", "00000000", // NFT_MSG_NEWTABLE, NLM_F_CREATE | NLM_F_EXCL
            "01", "00", "0000",                                 // NFPROTO_INET
            "0600", "0100", "6600", "0000",                     // NFTA_TABLE_NAME "f" (padded)
            "0800", "0200", "00000000",
            "1c000000", "020a", "0000", "00000000", "00000000", // NFT_MSG_DELTABLE
            "01", "00", "0000",
            "0600", "0100", "6600", "0000"), bytes);
    }

    [Fact]
    public void Add_base_chain()
    {
        // ip nat prerouting use 0 type nat hook prerouting prio -100 policy accept
        Assert.Equal(WireHex.Parse(
            "50000000", "030a", "0004", "00000000", "00000000", // len 80, NFT_MSG_NEWCHAIN, NLM_F_CREATE
            "02", "00", "0000",
            "0800", "0100", "6e617400",                         // NFTA_CHAIN_TABLE "nat"
            "0f00", "0300", "707265726f7574696e6700", "00",     // NFTA_CHAIN_NAME "prerouting"
            "1400", "0480",                                     // NFTA_CHAIN_HOOK (nested)
            "0800", "0100", "00000000",                         //   NFTA_HOOK_HOOKNUM NF_INET_PRE_ROUTING
            "0800", "0200", "ffffff9c",                         //   NFTA_HOOK_PRIORITY -100
            "0800", "0500", "00000001",                         // NFTA_CHAIN_POLICY NF_ACCEPT
            "0800", "0700", "6e617400"),                        // NFTA_CHAIN_TYPE "nat"
            Queued(tx => tx.AddChain(new Chain(TableFamily.IPv4, "nat", "prerouting") { Base = new BaseChainSpec(ChainType.Nat, HookPoint.Prerouting, ChainPriority.DstNat) })));
    }

    [Fact]
    public void Add_regular_chain_flush_it_and_delete_it()
    {
        byte[] bytes = Queued(tx => tx.AddChain(new Chain(TableFamily.IPv4, "t", "c")).FlushChain(TableFamily.IPv4, "t", "c").DeleteChain(TableFamily.IPv4, "t", "c"));
        Assert.Equal(WireHex.Parse(
            "24000000", "030a", "0004", "00000000", "00000000", // ip t c use 0
            "02", "00", "0000",
            "0600", "0100", "7400", "0000",                     // NFTA_CHAIN_TABLE "t"
            "0600", "0300", "6300", "0000",                     // NFTA_CHAIN_NAME "c"
            "24000000", "080a", "0000", "00000000", "00000000", // NFT_MSG_DELRULE without a handle: every rule of the chain
            "02", "00", "0000",
            "0600", "0100", "7400", "0000",                     // NFTA_RULE_TABLE "t"
            "0600", "0200", "6300", "0000",                     // NFTA_RULE_CHAIN "c"
            "24000000", "050a", "0000", "00000000", "00000000", // NFT_MSG_DELCHAIN
            "02", "00", "0000",
            "0600", "0100", "7400", "0000",
            "0600", "0300", "6300", "0000"), bytes);
    }

    [Fact]
    public void Append_rule_with_expressions_and_comment()
    {
        // ip t c
        //   [ meta load l4proto => reg 1 ]
        //   [ cmp eq reg 1 0x00000006 ]
        //   [ immediate reg 0 accept ]
        //   userdata = { \x00\x03hi\x00 }
        Rule rule = new(TableFamily.IPv4, "t", "c", [new MetaExpression(MetaKey.L4Proto), CmpExpression.Equal(SetKey.Protocol(ProtocolType.Tcp)), ImmediateExpression.Of(Verdict.Accept)]) { Comment = "hi" };
        Assert.Equal(WireHex.Parse(
            "b4000000", "060a", "000c", "00000000", "00000000", // len 180, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND
            "02", "00", "0000",
            "0600", "0100", "7400", "0000",                     // NFTA_RULE_TABLE "t"
            "0600", "0200", "6300", "0000",                     // NFTA_RULE_CHAIN "c"
            "8400", "0480",                                     // NFTA_RULE_EXPRESSIONS
            "2400", "0180",                                     //   NFTA_LIST_ELEM
            "0900", "0100", "6d65746100", "000000",             //     NFTA_EXPR_NAME "meta"
            "1400", "0280",                                     //     NFTA_EXPR_DATA
            "0800", "0100", "00000001",                         //       NFTA_META_DREG 1
            "0800", "0200", "00000010",                         //       NFTA_META_KEY NFT_META_L4PROTO
            "2c00", "0180",                                     //   NFTA_LIST_ELEM
            "0800", "0100", "636d7000",                         //     NFTA_EXPR_NAME "cmp"
            "2000", "0280",                                     //     NFTA_EXPR_DATA
            "0800", "0100", "00000001",                         //       NFTA_CMP_SREG 1
            "0800", "0200", "00000000",                         //       NFTA_CMP_OP NFT_CMP_EQ
            "0c00", "0380",                                     //       NFTA_CMP_DATA
            "0500", "0100", "06", "000000",                     //         NFTA_DATA_VALUE 06 (IPPROTO_TCP)
            "3000", "0180",                                     //   NFTA_LIST_ELEM
            "0e00", "0100", "696d6d65646961746500", "0000",     //     NFTA_EXPR_NAME "immediate"
            "1c00", "0280",                                     //     NFTA_EXPR_DATA
            "0800", "0100", "00000000",                         //       NFTA_IMMEDIATE_DREG NFT_REG_VERDICT
            "1000", "0280",                                     //       NFTA_IMMEDIATE_DATA
            "0c00", "0280",                                     //         NFTA_DATA_VERDICT
            "0800", "0100", "00000001",                         //           NFTA_VERDICT_CODE NF_ACCEPT
            "0900", "0700", "0003686900", "000000"),            // NFTA_RULE_USERDATA: NFTNL_UDATA_RULE_COMMENT, 3, "hi"
            Queued(tx => tx.AddRule(rule)));
    }

    [Fact]
    public void Insert_replace_and_delete_rules_by_handle()
    {
        Rule rule = new(TableFamily.IPv4, "t", "c", [new CounterExpression(0, 0)]);
        byte[] bytes = Queued(tx => tx.InsertRule(rule, beforeHandle: 7).ReplaceRule(rule with { Handle = 9 }).DeleteRule(TableFamily.IPv4, "t", "c", 5));
        byte[] counter = WireHex.Parse(
            "3000", "0480",                                     // NFTA_RULE_EXPRESSIONS
            "2c00", "0180",                                     //   [ counter pkts 0 bytes 0 ]
            "0c00", "0100", "636f756e74657200",                 //     NFTA_EXPR_NAME "counter"
            "1c00", "0280",
            "0c00", "0100", "0000000000000000",                 //       NFTA_COUNTER_BYTES 0
            "0c00", "0200", "0000000000000000");                //       NFTA_COUNTER_PACKETS 0
        Assert.Equal([.. WireHex.Parse(
            "60000000", "060a", "0004", "00000000", "00000000", // NFT_MSG_NEWRULE, NLM_F_CREATE (no APPEND: insert)
            "02", "00", "0000",
            "0600", "0100", "7400", "0000",
            "0600", "0200", "6300", "0000",
            "0c00", "0600", "0000000000000007"), .. counter,    // NFTA_RULE_POSITION 7: before that rule
            .. WireHex.Parse(
            "60000000", "060a", "0001", "00000000", "00000000", // NFT_MSG_NEWRULE, NLM_F_REPLACE
            "02", "00", "0000",
            "0600", "0100", "7400", "0000",
            "0600", "0200", "6300", "0000",
            "0c00", "0300", "0000000000000009"), .. counter,    // NFTA_RULE_HANDLE 9: the rule replaced
            .. WireHex.Parse(
            "30000000", "080a", "0000", "00000000", "00000000", // NFT_MSG_DELRULE
            "02", "00", "0000",
            "0600", "0100", "7400", "0000",
            "0600", "0200", "6300", "0000",
            "0c00", "0300", "0000000000000005")], bytes);       // NFTA_RULE_HANDLE 5
    }

    [Fact]
    public void Add_concatenated_verdict_map_and_an_element()
    {
        // services t 8
        // services t 0
        //   element c6120001 00000006 00005000  : goto -> svc 0 [end]
        NftSet map = new(TableFamily.IPv4, "t", "services", SetType.Concat(SetType.Ipv4Address, SetType.InetProto, SetType.InetService)) { DataType = SetType.Verdict };
        byte[] key = SetKey.Concat(SetKey.Ipv4(IPAddress.Parse("198.18.0.1")), SetKey.Protocol(ProtocolType.Tcp), SetKey.Port(80));
        byte[] bytes = Queued(tx => tx.AddSet(map).AddElements(map, [SetElement.WithVerdict(key, Verdict.GoTo("svc"))]));
        Assert.Equal(WireHex.Parse(
            "64000000", "090a", "0004", "00000000", "00000000", // len 100, NFT_MSG_NEWSET, NLM_F_CREATE
            "02", "00", "0000",
            "0600", "0100", "7400", "0000",                     // NFTA_SET_TABLE "t"
            "0d00", "0200", "736572766963657300", "000000",     // NFTA_SET_NAME "services"
            "0800", "0300", "00000008",                         // NFTA_SET_FLAGS NFT_SET_MAP
            "0800", "0400", "0000730d",                         // NFTA_SET_KEY_TYPE ipv4_addr . inet_proto . inet_service (7 << 12 | 12 << 6 | 13)
            "0800", "0500", "0000000c",                         // NFTA_SET_KEY_LEN 12 (4 + 4 + 4: each field padded)
            "0800", "0600", "ffffff00",                         // NFTA_SET_DATA_TYPE NFT_DATA_VERDICT
            "0800", "0a00", "00000001",                         // NFTA_SET_ID 1
            "1000", "0d00", "000400000000", "010400000000",     // NFTA_SET_USERDATA: key and data byte order (none for a concatenation, verdict)
            "60000000", "0c0a", "0004", "00000000", "00000000", // len 96, NFT_MSG_NEWSETELEM, NLM_F_CREATE
            "02", "00", "0000",
            "0600", "0100", "7400", "0000",                     // NFTA_SET_ELEM_LIST_TABLE "t"
            "0d00", "0200", "736572766963657300", "000000",     // NFTA_SET_ELEM_LIST_SET "services"
            "3400", "0380",                                     // NFTA_SET_ELEM_LIST_ELEMENTS
            "3000", "0180",                                     //   NFTA_LIST_ELEM
            "1400", "0180",                                     //     NFTA_SET_ELEM_KEY
            "1000", "0100", "c6120001", "06000000", "00500000", //       NFTA_DATA_VALUE 198.18.0.1 . tcp . 80
            "1800", "0280",                                     //     NFTA_SET_ELEM_DATA
            "1400", "0280",                                     //       NFTA_DATA_VERDICT
            "0800", "0100", "fffffffc",                         //         NFTA_VERDICT_CODE NFT_GOTO
            "0800", "0200", "73766300"), bytes);                //         NFTA_VERDICT_CHAIN "svc"
    }

    [Fact]
    public void Add_interval_set_with_timeout_and_size()
    {
        // s4 t 14 size 16 timeout 30000ms
        NftSet set = new(TableFamily.IPv4, "t", "s4", SetType.Ipv4Address) { Flags = SetFlags.Interval | SetFlags.Timeout, Timeout = TimeSpan.FromSeconds(30), Size = 16 };
        Assert.Equal(WireHex.Parse(
            "68000000", "090a", "0004", "00000000", "00000000", // len 104, NFT_MSG_NEWSET, NLM_F_CREATE
            "02", "00", "0000",
            "0600", "0100", "7400", "0000",
            "0700", "0200", "733400", "00",                     // NFTA_SET_NAME "s4"
            "0800", "0300", "00000014",                         // NFTA_SET_FLAGS NFT_SET_INTERVAL | NFT_SET_TIMEOUT
            "0800", "0400", "00000007",                         // NFTA_SET_KEY_TYPE ipv4_addr
            "0800", "0500", "00000004",                         // NFTA_SET_KEY_LEN 4
            "0c00", "0b00", "0000000000007530",                 // NFTA_SET_TIMEOUT 30000 ms
            "0c00", "0980",                                     // NFTA_SET_DESC
            "0800", "0100", "00000010",                         //   NFTA_SET_DESC_SIZE 16
            "0800", "0a00", "00000001",                         // NFTA_SET_ID 1
            "0a00", "0d00", "000402000000", "0000"),            // NFTA_SET_USERDATA: key byte order BYTEORDER_BIG_ENDIAN
            Queued(tx => tx.AddSet(set)));
    }

    [Fact]
    public void Delete_set_and_elements()
    {
        byte[] bytes = Queued(tx => tx.DeleteElements(TableFamily.IPv4, "t", "p", [new SetElement(SetKey.Port(80))]).DeleteSet(TableFamily.IPv4, "t", "p"));
        Assert.Equal(WireHex.Parse(
            "38000000", "0e0a", "0000", "00000000", "00000000", // NFT_MSG_DELSETELEM
            "02", "00", "0000",
            "0600", "0100", "7400", "0000",
            "0600", "0200", "7000", "0000",                     // NFTA_SET_ELEM_LIST_SET "p"
            "1400", "0380",
            "1000", "0180",
            "0c00", "0180",                                     //     NFTA_SET_ELEM_KEY
            "0600", "0100", "0050", "0000",                     //       NFTA_DATA_VALUE 80 (big-endian)
            "24000000", "0b0a", "0000", "00000000", "00000000", // NFT_MSG_DELSET
            "02", "00", "0000",
            "0600", "0100", "7400", "0000",
            "0600", "0200", "7000", "0000"), bytes);
    }

    [Fact]
    public void Dnat_rule_matches_what_nft_sends()
    {
        // ip t pre
        //   [ immediate reg 1 0x010013c6 ]
        //   [ immediate reg 2 0x0000401f ]
        //   [ nat dnat ip addr_min reg 1 proto_min reg 2 flags 0x2 ]
        //   [ numgen reg 1 = random mod 2 ]
        //   [ lookup reg 1 set __map0 dreg 0 ]
        Rule rule = new(TableFamily.IPv4, "t", "pre", [
            ImmediateExpression.Of(Registers.R1, SetKey.Ipv4(IPAddress.Parse("198.19.0.1"))),
            ImmediateExpression.Of(Registers.R2, SetKey.Port(8000)),
            new NatExpression(NatType.Dnat, TableFamily.IPv4) { AddressMinRegister = Registers.R1, ProtoMinRegister = Registers.R2, Flags = NatFlags.ProtoSpecified },
            new NumgenExpression(NumgenType.Random, 2),
            LookupExpression.VerdictMap("__map0")]);
        byte[] bytes = Queued(tx => tx.AddRule(rule));
        byte[] expressions = WireHex.Parse(
            "2c00", "0180", "0e00", "0100", "696d6d65646961746500", "0000",
            "1800", "0280", "0800", "0100", "00000001",         // NFTA_IMMEDIATE_DREG 1
            "0c00", "0280", "0800", "0100", "c6130001",         // NFTA_IMMEDIATE_DATA { NFTA_DATA_VALUE 198.19.0.1 }
            "2c00", "0180", "0e00", "0100", "696d6d65646961746500", "0000",
            "1800", "0280", "0800", "0100", "00000002",         // NFTA_IMMEDIATE_DREG 2
            "0c00", "0280", "0600", "0100", "1f40", "0000",     // NFTA_IMMEDIATE_DATA { NFTA_DATA_VALUE 8000 }
            "3800", "0180", "0800", "0100", "6e617400",         // "nat"
            "2c00", "0280",
            "0800", "0100", "00000001",                         // NFTA_NAT_TYPE NFT_NAT_DNAT
            "0800", "0200", "00000002",                         // NFTA_NAT_FAMILY NFPROTO_IPV4
            "0800", "0300", "00000001",                         // NFTA_NAT_REG_ADDR_MIN 1
            "0800", "0500", "00000002",                         // NFTA_NAT_REG_PROTO_MIN 2
            "0800", "0700", "00000002",                         // NFTA_NAT_FLAGS NF_NAT_RANGE_PROTO_SPECIFIED
            "3400", "0180", "0b00", "0100", "6e756d67656e00", "00", // "numgen"
            "2400", "0280",
            "0800", "0100", "00000001",                         // NFTA_NG_DREG 1
            "0800", "0200", "00000002",                         // NFTA_NG_MODULUS 2
            "0800", "0300", "00000001",                         // NFTA_NG_TYPE NFT_NG_RANDOM
            "0800", "0400", "00000000",                         // NFTA_NG_OFFSET 0
            "3000", "0180", "0b00", "0100", "6c6f6f6b757000", "00", // "lookup"
            "2000", "0280",
            "0b00", "0100", "5f5f6d61703000", "00",             // NFTA_LOOKUP_SET "__map0"
            "0800", "0200", "00000001",                         // NFTA_LOOKUP_SREG 1
            "0800", "0300", "00000000");                        // NFTA_LOOKUP_DREG NFT_REG_VERDICT
        // After nlmsghdr, nfgenmsg, NFTA_RULE_TABLE "t", NFTA_RULE_CHAIN "pre" and the NFTA_RULE_EXPRESSIONS header.
        Assert.Equal(expressions, bytes[(16 + 4 + 8 + 8 + 4)..]);
        Assert.Equal(16 + 4 + 8 + 8 + 4 + expressions.Length, bytes.Length);
    }
}
