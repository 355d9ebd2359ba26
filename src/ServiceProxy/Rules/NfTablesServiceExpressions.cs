using System.Net;
using System.Net.Sockets;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Expressions;

namespace ServiceProxy.Rules;

/// <summary>
/// The expressions of the service rules' nf_tables rules, each as <c>nft</c> encodes the same text (checked against
/// <c>nft --debug=netlink</c>), so <c>nft list</c> prints them back as <see cref="NfTablesServiceRuleset"/> shows.
/// </summary>
internal static class NfTablesServiceExpressions
{
    private const byte NfprotoIpv4 = 2;
    private const byte NfprotoIpv6 = 10;

    /// <summary><c>ip daddr . meta l4proto . th dport @set</c> (or ip6), then <paramref name="verdict"/>.</summary>
    public static Expression[] LookupDestination(NftSet set, bool v6, Verdict verdict) =>
        [.. IsFamily(v6), .. LoadDestination(v6, withSource: false), Lookup(set), ImmediateExpression.Of(verdict)];

    /// <summary>
    /// Loads <c>ip daddr . meta l4proto . th dport [. ip saddr]</c> as nft does: each field into the register where the
    /// previous one ends (4-byte fields padded). For an interval set nft also puts a byteorder conversion after
    /// <c>meta l4proto</c>, <c>hton(reg, 2, 1)</c>, which converts nothing (one byte has no order), and which kernels
    /// before 6.13 or so refuse (EOPNOTSUPP: Debian 12's 6.1 and 6.12 do), so it is left out and the key is the same.
    /// </summary>
    public static IEnumerable<Expression> LoadDestination(bool v6, bool withSource)
    {
        int addressLength = v6 ? 16 : 4;
        yield return v6 ? PayloadExpression.Ipv6Destination() : PayloadExpression.Ipv4Destination();
        yield return new MetaExpression(MetaKey.L4Proto, RegisterAt(addressLength));
        yield return PayloadExpression.TransportDestinationPort(RegisterAt(addressLength + 4));
        if (withSource)
        {
            uint source = RegisterAt(addressLength + 8);
            yield return v6 ? PayloadExpression.Ipv6Source(source) : PayloadExpression.Ipv4Source(source);
        }
    }

    /// <summary>The register a concatenation field at <paramref name="offset"/> bytes goes to; nft names it by the 16-byte register when one starts there.</summary>
    public static uint RegisterAt(int offset) => offset % 16 == 0 ? Registers.R1 + (uint)(offset / 16) : Registers.Reg32(offset / 4);

    public static LookupExpression Lookup(NftSet set, bool inverted = false) => new(set.Name, Registers.R1, null, inverted) { SetId = set.Id };

    public static ImmediateExpression Jump(string chain) => ImmediateExpression.Of(Verdict.JumpTo(chain));

    public static Expression[] IsFamily(bool v6) => [new MetaExpression(MetaKey.NfProto), CmpExpression.Equal(new[] { v6 ? NfprotoIpv6 : NfprotoIpv4 })];

    /// <summary><c>ct state new</c>: the state bit masked, compared with zero.</summary>
    public static Expression[] CtStateNew() =>
    [
        new CtExpression(CtKey.State), BitwiseExpression.And(SetKey.Number((uint)CtState.New)), CmpExpression.NotEqual(SetKey.Number(0)),
    ];

    /// <summary><c>meta l4proto tcp reject with tcp reset</c>, or for another protocol <c>meta l4proto udp reject</c> (ICMPx port unreachable).</summary>
    public static Expression[] RejectProtocol(ServiceProtocol protocol) =>
    [
        new MetaExpression(MetaKey.L4Proto), CmpExpression.Equal(new[] { (byte)protocol }),
        protocol == ServiceProtocol.Tcp ? new RejectExpression(RejectType.TcpReset, 0) : new RejectExpression(RejectType.IcmpxUnreachable, IcmpxPortUnreachable),
    ];

    /// <summary>NFT_REJECT_ICMPX_PORT_UNREACH: what a bare <c>reject</c> sends in an inet table.</summary>
    public const byte IcmpxPortUnreachable = 1;

    /// <summary>
    /// <c>ip saddr != CIDR</c> as nft encodes it: a byte-aligned prefix loads only its bytes; another loads the whole
    /// address and masks it.
    /// </summary>
    public static IEnumerable<Expression> SourceOutside(IPNetwork cidr)
    {
        bool v6 = cidr.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;
        byte[] network = cidr.BaseAddress.GetAddressBytes();
        uint sourceOffset = v6 ? 8u : 12u;
        foreach (Expression e in IsFamily(v6))
        {
            yield return e;
        }
        if (cidr.PrefixLength % 8 == 0)
        {
            int bytes = cidr.PrefixLength / 8;
            yield return new PayloadExpression(PayloadBase.Network, sourceOffset, (uint)bytes);
            yield return CmpExpression.NotEqual(network.AsMemory(0, bytes));
            yield break;
        }
        yield return new PayloadExpression(PayloadBase.Network, sourceOffset, (uint)network.Length);
        yield return BitwiseExpression.And(NetworkKeys.Mask(cidr));
        yield return CmpExpression.NotEqual(network);
    }
}
