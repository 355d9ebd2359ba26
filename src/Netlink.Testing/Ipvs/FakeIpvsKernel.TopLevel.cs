using static Netlink.Ipvs.Codec.IpvsConstants;

namespace Netlink.Testing;

public sealed partial class FakeIpvsKernel
{
    /// <summary>A request's first-level attributes (ip_vs_cmd_policy); later duplicates win, as in nla_parse.</summary>
    private ref struct TopLevel
    {
        public ReadOnlySpan<byte> Service;
        public bool HasService;
        public ReadOnlySpan<byte> Destination;
        public bool HasDestination;
        public ReadOnlySpan<byte> Daemon;
        public bool HasDaemon;
        public uint? TimeoutTcp;
        public uint? TimeoutTcpFin;
        public uint? TimeoutUdp;

        /// <summary>False when an attribute is malformed (the policy check fails: EINVAL).</summary>
        public static bool TryParse(ReadOnlySpan<byte> attributes, out TopLevel top)
        {
            top = default;
            try
            {
                foreach (NetlinkAttribute a in new NetlinkAttributeReader(attributes))
                {
                    switch (a.Type)
                    {
                        case CmdAttrService: top.Service = a.Payload; top.HasService = true; break;
                        case CmdAttrDest: top.Destination = a.Payload; top.HasDestination = true; break;
                        case CmdAttrDaemon: top.Daemon = a.Payload; top.HasDaemon = true; break;
                        case CmdAttrTimeoutTcp: top.TimeoutTcp = a.GetUInt32(); break;
                        case CmdAttrTimeoutTcpFin: top.TimeoutTcpFin = a.GetUInt32(); break;
                        case CmdAttrTimeoutUdp: top.TimeoutUdp = a.GetUInt32(); break;
                        default: break;
                    }
                }
                return true;
            }
            catch (NetlinkProtocolException)
            {
                return false;
            }
        }
    }
}
