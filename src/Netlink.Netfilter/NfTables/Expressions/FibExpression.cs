using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>What a fib lookup yields (NFTA_FIB_RESULT: enum nft_fib_result).</summary>
public enum FibResult : uint
{
    /// <summary>NFT_FIB_RESULT_OIF: the output interface index (<c>fib daddr oif</c>).</summary>
    OutputInterface = Codec.NfConstants.NFT_FIB_RESULT_OIF,

    /// <summary>NFT_FIB_RESULT_OIFNAME: the output interface name (<c>fib daddr oifname</c>).</summary>
    OutputInterfaceName = Codec.NfConstants.NFT_FIB_RESULT_OIFNAME,

    /// <summary>NFT_FIB_RESULT_ADDRTYPE: the route type of the address, RTN_* (<c>fib daddr type</c>; 2 is RTN_LOCAL).</summary>
    AddressType = Codec.NfConstants.NFT_FIB_RESULT_ADDRTYPE,
}

/// <summary>Which packet fields a fib lookup uses (NFTA_FIB_FLAGS: enum nft_fib_flags).</summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the kernel's word
public enum FibFlags : uint
#pragma warning restore CA1711
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>NFTA_FIB_F_SADDR: look up the source address (<c>fib saddr</c>).</summary>
    SourceAddress = Codec.NfConstants.NFTA_FIB_F_SADDR,

    /// <summary>NFTA_FIB_F_DADDR: look up the destination address (<c>fib daddr</c>).</summary>
    DestinationAddress = Codec.NfConstants.NFTA_FIB_F_DADDR,

    /// <summary>NFTA_FIB_F_MARK: use the packet mark in the lookup (<c>. mark</c>).</summary>
    Mark = Codec.NfConstants.NFTA_FIB_F_MARK,

    /// <summary>NFTA_FIB_F_IIF: restrict the lookup to the input interface (<c>. iif</c>).</summary>
    InputInterface = Codec.NfConstants.NFTA_FIB_F_IIF,

    /// <summary>NFTA_FIB_F_OIF: restrict the lookup to the output interface (<c>. oif</c>).</summary>
    OutputInterface = Codec.NfConstants.NFTA_FIB_F_OIF,
}

/// <summary>
/// "fib": a routing table lookup for the packet, its result into a register (<c>[ fib daddr type => reg 1 ]</c>).
/// <c>fib daddr type local</c> is how a rule asks "is this packet addressed to this host", which node ports need.
/// </summary>
/// <param name="Flags">NFTA_FIB_FLAGS.</param>
/// <param name="Result">NFTA_FIB_RESULT.</param>
/// <param name="DestinationRegister">NFTA_FIB_DREG.</param>
public sealed record FibExpression(FibFlags Flags, FibResult Result, uint DestinationRegister = Registers.R1) : Expression
{
    /// <summary>RTN_LOCAL (linux/rtnetlink.h): the address type <see cref="FibResult.AddressType"/> yields for this host's addresses.</summary>
    public const uint LocalAddressType = 2;

    /// <inheritdoc />
    public override string Name => "fib";

    /// <summary><c>fib daddr type</c>: the route type of the destination address, 4 bytes in host order.</summary>
    public static FibExpression DestinationAddressType(uint register = Registers.R1) => new(FibFlags.DestinationAddress, FibResult.AddressType, register);

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_FIB_DREG, DestinationRegister);
        writer.WriteUInt32BigEndian(NFTA_FIB_RESULT, (uint)Result);
        writer.WriteUInt32BigEndian(NFTA_FIB_FLAGS, (uint)Flags);
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        uint? dreg = null, result = null, flags = null;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            switch (a.Type)
            {
                case NFTA_FIB_DREG: dreg = a.GetUInt32BigEndian(); break;
                case NFTA_FIB_RESULT: result = a.GetUInt32BigEndian(); break;
                case NFTA_FIB_FLAGS: flags = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        return dreg is { } d && result is { } r && flags is { } f ? new FibExpression((FibFlags)f, (FibResult)r, d) : null;
    }
}
