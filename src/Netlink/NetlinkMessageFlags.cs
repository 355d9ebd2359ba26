namespace Netlink;

/// <summary>nlmsg_flags bits (NLM_F_* in linux/netlink.h). Some bits mean different things for GET and NEW requests.</summary>
[Flags]
#pragma warning disable CA1711, CA1069 // "Flags" is the kernel's word; GET and NEW requests give the same bits different meanings
public enum NetlinkMessageFlags : ushort
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>NLM_F_REQUEST: a request.</summary>
    Request = 0x01,

    /// <summary>NLM_F_MULTI: part of a multipart reply ending with NLMSG_DONE.</summary>
    Multi = 0x02,

    /// <summary>NLM_F_ACK: reply with an acknowledgement.</summary>
    Ack = 0x04,

    /// <summary>NLM_F_ECHO: echo the request back.</summary>
    Echo = 0x08,

    /// <summary>NLM_F_DUMP_INTR: the dump was inconsistent because the table changed during it.</summary>
    DumpInterrupted = 0x10,

    /// <summary>NLM_F_DUMP_FILTERED: the dump was filtered as requested.</summary>
    DumpFiltered = 0x20,

    /// <summary>NLM_F_ROOT (GET requests).</summary>
    Root = 0x100,

    /// <summary>NLM_F_MATCH (GET requests).</summary>
    Match = 0x200,

    /// <summary>NLM_F_DUMP = ROOT | MATCH: dump the whole table.</summary>
    Dump = Root | Match,

    /// <summary>NLM_F_REPLACE (NEW requests): replace an existing object.</summary>
    Replace = 0x100,

    /// <summary>NLM_F_EXCL (NEW requests): fail if the object exists.</summary>
    Exclusive = 0x200,

    /// <summary>NLM_F_CREATE (NEW requests): create if it does not exist.</summary>
    Create = 0x400,

    /// <summary>NLM_F_APPEND (NEW requests): add at the end.</summary>
    Append = 0x800,

    /// <summary>NLM_F_CAPPED (acks): the echoed request was cut to its header.</summary>
    Capped = 0x100,

    /// <summary>NLM_F_ACK_TLVS (acks): extended-ack attributes follow.</summary>
    AckTlvs = 0x200,
}
#pragma warning restore CA1711, CA1069
