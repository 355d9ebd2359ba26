using Netlink.Generic;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;
using Netlink.Testing;
using Netlink.Tests.Core;

namespace Netlink.Tests.Ipvsctl.Declarative;

/// <summary>
/// A scripted kernel with an empty IPVS table and the default timeouts (900 120 300). It acks every change and
/// records its command, except the change at <see cref="FailAt"/> (counted from 0), which it refuses with EINVAL
/// and an extended-ack text, as a real kernel refuses a masquerade server at an unroutable address.
/// </summary>
internal sealed class EmptyFakeKernel
{
    private const ushort Family = 35;

    /// <summary>The change commands received, in order (IPVS_CMD_*).</summary>
    public List<byte> Changes { get; } = [];

    public int? FailAt { get; init; }

    public int Opens { get; private set; }

    public IpvsClient Open()
    {
        Opens++;
        return IpvsClient.Open(new NetlinkConnection(new ScriptedTransport(sent => sent.Select(Answer))));
    }

    private byte[] Answer(SentMessage m)
    {
        if (m.Type == GenericNetlinkResolver.ControllerId)
        {
            return KernelReplies.Datagram(
                KernelReplies.Reply(m, GenericNetlinkResolver.ControllerId, KernelReplies.GenericPayload(1, 2,
                    KernelReplies.AttrU16(1, Family), KernelReplies.AttrString(2, "IPVS"))),
                KernelReplies.Ack(m));
        }
        switch (m.GenericCommand)
        {
            case IpvsConstants.CmdGetService or IpvsConstants.CmdGetDest:
                return KernelReplies.Done(m);
            case IpvsConstants.CmdGetConfig:
                return KernelReplies.Datagram(
                    KernelReplies.Reply(m, Family, KernelReplies.GenericPayload(IpvsConstants.CmdGetConfig, 1,
                        KernelReplies.AttrU32(IpvsConstants.CmdAttrTimeoutTcp, 900),
                        KernelReplies.AttrU32(IpvsConstants.CmdAttrTimeoutTcpFin, 120),
                        KernelReplies.AttrU32(IpvsConstants.CmdAttrTimeoutUdp, 300))),
                    KernelReplies.Ack(m));
            default:
                Changes.Add(m.GenericCommand);
                if (Changes.Count - 1 == FailAt)
                {
                    return KernelReplies.Error(m, Errno.EINVAL, "address not unicast");
                }
                return m.Has(NetlinkMessageFlags.Ack) ? KernelReplies.Ack(m) : [];
        }
    }
}
