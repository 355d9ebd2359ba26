using System.Buffers.Binary;
using System.Runtime.InteropServices;
using static Netlink.Ipvs.Codec.IpvsConstants;

namespace Netlink.Ipvs.Codec;

/// <summary>
/// The exact layouts Linux writes its busiest IPVS replies in, read at fixed offsets once every attribute header has
/// been compared with the expected one. Listing a table decodes one real server reply per real server, and walking
/// its attributes one by one cost more instructions than everything else the library does per real server. A nest in
/// any other layout (an older or newer kernel, a padding attribute, NLA_F_NESTED set) is left to the attribute walk,
/// so nothing is taken on trust that was not checked.
/// </summary>
internal static class IpvsKernelLayout
{
    // IPVS_CMD_ATTR_DEST as ip_vs_genl_fill_dest writes it since Linux 5.3 (6.1 and 6.12 among them), 332 bytes,
    // each attribute padded to 4, read as little-endian 32-bit words. Word: header (nla_len | nla_type << 16).
    //  0 ADDR (16 bytes)   5 PORT   7 FWD_METHOD   9 WEIGHT   11 TUN_TYPE   13 TUN_PORT   15 TUN_FLAGS
    // 17 U_THRESH   19 L_THRESH   21 ACTIVE_CONNS   23 INACT_CONNS   25 PERSIST_CONNS   27 ADDR_FAMILY
    // 29 STATS (8 u32 and 2 u64 counters, 88 bytes)   52 STATS64 (10 u64 counters, 120 bytes)
    // Each payload starts in the word after its header.
    private const int DestSize = 332;
    private const int StatsAt = 120, StatsSize = 88, Stats64At = 212, Stats64Size = 120;

    // STATS64 as ip_vs_genl_fill_stats64 writes it: the ten counters in order, each a u64 right after its header
    // (no padding attribute on the architectures .NET runs on), 120 bytes: headers at words 0, 3, ..., 27.
    private const int Stats64Words = 30;

    /// <summary>Reads a nested IPVS_CMD_ATTR_DEST laid out exactly as the kernel writes it; false for any other layout.</summary>
    public static bool TryReadDest(ReadOnlySpan<byte> nest, ref DestFields fields)
    {
        ReadOnlySpan<uint> w = MemoryMarshal.Cast<byte, uint>(nest);
        if (nest.Length != DestSize || w.Length != DestSize / 4)
        {
            return false;
        }
        // One branch for all fifteen headers.
        uint mismatch = (w[0] ^ Header(16, DestAttrAddr)) | (w[5] ^ Header(2, DestAttrPort))
            | (w[7] ^ Header(4, DestAttrFwdMethod)) | (w[9] ^ Header(4, DestAttrWeight))
            | (w[11] ^ Header(1, DestAttrTunType)) | (w[13] ^ Header(2, DestAttrTunPort)) | (w[15] ^ Header(2, DestAttrTunFlags))
            | (w[17] ^ Header(4, DestAttrUThresh)) | (w[19] ^ Header(4, DestAttrLThresh))
            | (w[21] ^ Header(4, DestAttrActiveConns)) | (w[23] ^ Header(4, DestAttrInactConns)) | (w[25] ^ Header(4, DestAttrPersistConns))
            | (w[27] ^ Header(2, DestAttrAddrFamily)) | (w[29] ^ Header(StatsSize, DestAttrStats)) | (w[52] ^ Header(Stats64Size, DestAttrStats64));
        if (mismatch != 0)
        {
            return false;
        }
        fields.Address = nest.Slice(4, 16);
        fields.Port = BinaryPrimitives.ReverseEndianness((ushort)w[6]);
        fields.Forwarding = w[8] & ForwardMask;
        fields.Weight = w[10];
        fields.TunnelType = (byte)w[12];
        fields.TunnelPort = BinaryPrimitives.ReverseEndianness((ushort)w[14]);
        fields.TunnelFlags = (ushort)w[16];
        fields.UpperThreshold = w[18];
        fields.LowerThreshold = w[20];
        fields.ActiveConnections = w[22];
        fields.InactiveConnections = w[24];
        fields.PersistentConnections = w[26];
        fields.AddressFamily = (ushort)w[28];
        fields.Stats32 = nest.Slice(StatsAt, StatsSize);
        fields.Stats64 = nest.Slice(Stats64At, Stats64Size);
        fields.HasStats64 = true;
        return true;
    }

    /// <summary>Reads a nested STATS64 laid out exactly as the kernel writes it; false for any other layout.</summary>
    public static bool TryReadStatistics64(ReadOnlySpan<byte> nest, out IpvsStatistics statistics)
    {
        ReadOnlySpan<uint> w = MemoryMarshal.Cast<byte, uint>(nest);
        if (nest.Length != Stats64Words * 4 || w.Length != Stats64Words)
        {
            statistics = default;
            return false;
        }
        uint mismatch = (w[0] ^ Header(8, StatsAttrConns)) | (w[3] ^ Header(8, StatsAttrInPkts)) | (w[6] ^ Header(8, StatsAttrOutPkts))
            | (w[9] ^ Header(8, StatsAttrInBytes)) | (w[12] ^ Header(8, StatsAttrOutBytes)) | (w[15] ^ Header(8, StatsAttrCps))
            | (w[18] ^ Header(8, StatsAttrInPps)) | (w[21] ^ Header(8, StatsAttrOutPps)) | (w[24] ^ Header(8, StatsAttrInBps))
            | (w[27] ^ Header(8, StatsAttrOutBps));
        if (mismatch != 0)
        {
            statistics = default;
            return false;
        }
        statistics = new IpvsStatistics(
            U64(w[1], w[2]), U64(w[4], w[5]), U64(w[7], w[8]), U64(w[10], w[11]), U64(w[13], w[14]),
            U64(w[16], w[17]), U64(w[19], w[20]), U64(w[22], w[23]), U64(w[25], w[26]), U64(w[28], w[29]));
        return true;
    }

    /// <summary>struct nlattr as a little-endian word: nla_len (header included) low, nla_type high.</summary>
    private static uint Header(int payloadLength, ushort type) => (uint)(NetlinkWriter.AttributeHeaderSize + payloadLength) | ((uint)type << 16);

    private static ulong U64(uint low, uint high) => low | ((ulong)high << 32);
}
