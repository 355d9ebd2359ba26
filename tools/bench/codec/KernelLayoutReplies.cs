using Netlink;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;
using Netlink.Testing;

namespace CodecBench;

/// <summary>
/// IPVS dump entries laid out byte for byte as Linux 6.12 writes them (ip_vs_genl_fill_service and
/// ip_vs_genl_fill_dest: no NLA_F_NESTED on nests, STATS and STATS64 both), for service i and its real server j of
/// the benchmarks' tables: 198.18.x.y:80 and 198.19.x.y:8080, all counters non-zero.
/// </summary>
internal static class KernelLayoutReplies
{
    public static byte[] Address(int i, byte network) => [198, network, (byte)(i / 250 % 256), (byte)(i % 250 + 1), .. new byte[12]];

    public static byte[] Service(ushort familyId, uint portId, int i) => Entry(familyId, portId, IpvsConstants.CmdNewService,
        KernelReplies.Nested(IpvsConstants.CmdAttrService, false,
            KernelReplies.AttrU16(IpvsConstants.SvcAttrAf, LinuxAddressFamily.Inet),
            KernelReplies.AttrU16(IpvsConstants.SvcAttrProtocol, 6),
            KernelReplies.Attr(IpvsConstants.SvcAttrAddr, Address(i, 18)),
            KernelReplies.Attr(IpvsConstants.SvcAttrPort, [0, 80]),
            KernelReplies.AttrString(IpvsConstants.SvcAttrSchedName, "wrr"),
            KernelReplies.Attr(IpvsConstants.SvcAttrFlags, [0x10, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]),
            KernelReplies.AttrU32(IpvsConstants.SvcAttrTimeout, 0),
            KernelReplies.AttrU32(IpvsConstants.SvcAttrNetmask, 0xffffffff),
            Stats32(IpvsConstants.SvcAttrStats),
            Stats64(IpvsConstants.SvcAttrStats64)));

    public static byte[] Dest(ushort familyId, uint portId, int i, int j) => Entry(familyId, portId, IpvsConstants.CmdNewDest,
        KernelReplies.Nested(IpvsConstants.CmdAttrDest, false,
            KernelReplies.Attr(IpvsConstants.DestAttrAddr, Address(i * 10 + j, 19)),
            KernelReplies.Attr(IpvsConstants.DestAttrPort, [0x1f, 0x90]),
            KernelReplies.AttrU32(IpvsConstants.DestAttrFwdMethod, 0),
            KernelReplies.AttrU32(IpvsConstants.DestAttrWeight, (uint)(j % 5 + 1)),
            KernelReplies.AttrU8(IpvsConstants.DestAttrTunType, 0),
            KernelReplies.Attr(IpvsConstants.DestAttrTunPort, [0, 0]),
            KernelReplies.AttrU16(IpvsConstants.DestAttrTunFlags, 0),
            KernelReplies.AttrU32(IpvsConstants.DestAttrUThresh, 0),
            KernelReplies.AttrU32(IpvsConstants.DestAttrLThresh, 0),
            KernelReplies.AttrU32(IpvsConstants.DestAttrActiveConns, 3),
            KernelReplies.AttrU32(IpvsConstants.DestAttrInactConns, 2),
            KernelReplies.AttrU32(IpvsConstants.DestAttrPersistConns, 0),
            KernelReplies.AttrU16(IpvsConstants.DestAttrAddrFamily, LinuxAddressFamily.Inet),
            Stats32(IpvsConstants.DestAttrStats),
            Stats64(IpvsConstants.DestAttrStats64)));

    private static byte[] Entry(ushort familyId, uint portId, byte command, byte[] nest) =>
        KernelReplies.Message(familyId, NetlinkMessageFlags.Multi, 0, portId, KernelReplies.GenericPayload(command, IpvsConstants.GenlVersion, nest));

    /// <summary>ip_vs_genl_fill_stats: u32 counters but the two byte counters.</summary>
    private static byte[] Stats32(ushort type) => KernelReplies.Nested(type, false,
    [
        .. Enumerable.Range(IpvsConstants.StatsAttrConns, IpvsConstants.StatsAttrOutBps).Select(c => c is IpvsConstants.StatsAttrInBytes or IpvsConstants.StatsAttrOutBytes
            ? KernelReplies.AttrU64((ushort)c, 1000UL * (ulong)c)
            : KernelReplies.AttrU32((ushort)c, 1000U * (uint)c)),
    ]);

    private static byte[] Stats64(ushort type) => KernelReplies.Nested(type, false,
        [.. Enumerable.Range(IpvsConstants.StatsAttrConns, IpvsConstants.StatsAttrOutBps).Select(c => KernelReplies.AttrU64((ushort)c, 1000UL * (ulong)c))]);
}
