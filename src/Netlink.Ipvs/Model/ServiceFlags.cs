namespace Netlink.Ipvs;

/// <summary>Virtual service flags (IPVS_SVC_ATTR_FLAGS, IP_VS_SVC_F_*). The scheduler flags mean different things per scheduler.</summary>
[Flags]
#pragma warning disable CA1711, CA1069 // kernel word; the scheduler bits are deliberately shared by sh and mh
public enum ServiceFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>IP_VS_SVC_F_PERSISTENT: clients stick to one real server (ipvsadm -p).</summary>
    Persistent = 0x0001,

    /// <summary>IP_VS_SVC_F_HASHED: set by the kernel on services in its table; ignored when sent.</summary>
    Hashed = 0x0002,

    /// <summary>IP_VS_SVC_F_ONEPACKET: schedule every UDP packet on its own (ipvsadm -o).</summary>
    OnePacket = 0x0004,

    /// <summary>IP_VS_SVC_F_SCHED1: scheduler flag 1 (ipvsadm -b flag-1).</summary>
    SchedulerFlag1 = 0x0008,

    /// <summary>IP_VS_SVC_F_SCHED2: scheduler flag 2 (ipvsadm -b flag-2).</summary>
    SchedulerFlag2 = 0x0010,

    /// <summary>IP_VS_SVC_F_SCHED3: scheduler flag 3 (ipvsadm -b flag-3).</summary>
    SchedulerFlag3 = 0x0020,

    /// <summary>IP_VS_SVC_F_SCHED_SH_FALLBACK: sh skips unavailable real servers (ipvsadm -b sh-fallback).</summary>
    SourceHashFallback = SchedulerFlag1,

    /// <summary>IP_VS_SVC_F_SCHED_SH_PORT: sh hashes the source port too (ipvsadm -b sh-port).</summary>
    SourceHashPort = SchedulerFlag2,

    /// <summary>IP_VS_SVC_F_SCHED_MH_FALLBACK: mh skips unavailable real servers (ipvsadm -b mh-fallback).</summary>
    MaglevHashFallback = SchedulerFlag1,

    /// <summary>IP_VS_SVC_F_SCHED_MH_PORT: mh hashes the source port too (ipvsadm -b mh-port).</summary>
    MaglevHashPort = SchedulerFlag2,
}
#pragma warning restore CA1711, CA1069
