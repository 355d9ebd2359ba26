using Netlink.Testing;
using System.Buffers.Binary;
using System.Net;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;
using Netlink.Tests.Core;
using ServiceProxy.Planning;

namespace Netlink.Tests.IpvsCodec;

/// <summary>
/// What is written reads back equal, through the whole client: a scripted kernel keeps each service and real server
/// exactly as sent and answers reads the way IPVS does (IP_VS_SVC_F_HASHED added to the flags, connection counts and
/// counters added, zero tunnel attributes for every real server), so only the library's normalisation can make the
/// read-back equal to what was written.
/// </summary>
public sealed class IpvsReadBackTests
{
    private const ushort Family = 35;

    private static readonly VirtualServiceKey Web = VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("198.18.0.1"), 5060);
    private static readonly VirtualServiceKey Web6 = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("2001:db8::1"), 443);
    private static readonly VirtualServiceKey Mark = VirtualServiceKey.ForFirewallMark(7);

    private static readonly DesiredService[] Written =
    [
        new(new VirtualService(Web)
            {
                Scheduler = "sh",
                Flags = ServiceFlags.SourceHashPort | ServiceFlags.OnePacket,
                PersistenceTimeout = 600,
                Netmask = PersistenceNetmask.FromIpv4PrefixLength(24),
                PersistenceEngine = "sip",
            },
            [
                new RealServer(IPAddress.Parse("198.19.0.1"), 5060) { Forwarding = ForwardingMethod.Masquerade, Weight = 3, UpperThreshold = 100, LowerThreshold = 10 },
                new RealServer(IPAddress.Parse("198.19.0.2"), 5060)
                {
                    Forwarding = ForwardingMethod.Tunnel, TunnelType = TunnelType.Gue, TunnelPort = 6080, TunnelFlags = TunnelFlags.RemoteChecksum,
                },
                new RealServer(IPAddress.Parse("198.19.0.3"), 5060) { Forwarding = ForwardingMethod.Tunnel, TunnelType = TunnelType.Gre, TunnelFlags = TunnelFlags.Checksum },
            ]),
        new(new VirtualService(Web6) { Scheduler = "wrr", PersistenceTimeout = 30, Netmask = PersistenceNetmask.FromIpv6PrefixLength(64) },
            [new RealServer(IPAddress.Parse("2001:db8::2"), 8443) { Weight = 0 }]),
        // Every client in one group: 0.0.0.0 is a setting, not the default.
        new(new VirtualService(Mark) { PersistenceTimeout = 60, Netmask = PersistenceNetmask.FromIpv4Mask(0) }, []),
        // The single-address default given explicitly (what ipvsadm sends) reads back as the default.
        new(new VirtualService(VirtualServiceKey.ForFirewallMark(8)) { Scheduler = "rr", Netmask = PersistenceNetmask.FromIpv4Mask(uint.MaxValue) }, []),
    ];

    [Fact]
    public void EveryServiceAndRealServer_ReadsBackEqualToWhatWasWritten()
    {
        var kernel = new EchoKernel();
        using IpvsClient client = kernel.Open();
        Write(client);

        foreach (DesiredService entry in Written)
        {
            ObservedVirtualService read = client.GetService(entry.Service.Key)!;
            Assert.Equal(entry.Service, read.Settings);
            Assert.Equal(entry.Service.GetHashCode(), read.Settings.GetHashCode());
            // The observations are there, beside the settings: the kernel's own flag and the counters.
            Assert.True(read.ReportedFlags.HasFlag(ServiceFlags.Hashed));
            Assert.Equal(entry.Service.IsPersistent, read.ReportedFlags.HasFlag(ServiceFlags.Persistent));
            Assert.Equal(42ul, read.Statistics!.Value.Connections);

            IReadOnlyList<ObservedRealServer> servers = client.ListRealServers(entry.Service.Key);
            Assert.Equal(entry.RealServers, servers.Select(s => s.Settings));
            Assert.All(servers, s => Assert.Equal((4u, 5u, 6u), (s.ActiveConnections, s.InactiveConnections, s.PersistentConnections)));
        }
    }

    [Fact]
    public void PlanningTheWrittenTable_AgainstItsReadBack_PlansNothing()
    {
        var kernel = new EchoKernel();
        using IpvsClient client = kernel.Open();
        Write(client);
        Assert.Equal(Written.Length, client.GetTable().Count);
        ServiceTablePlan plan = ServiceTablePlanner.Plan(client, new DesiredServiceTable(Written));
        Assert.True(plan.IsEmpty, string.Join("; ", plan.Changes));
    }

    [Fact]
    public void AChangedSetting_ReadsBackDifferent()
    {
        var kernel = new EchoKernel();
        using IpvsClient client = kernel.Open();
        Write(client);
        VirtualService wanted = Written[0].Service with { Netmask = PersistenceNetmask.FromIpv4PrefixLength(16) };
        Assert.NotEqual(wanted, client.GetService(Web)!.Settings);
        ServiceTableChange change = Assert.Single(ServiceTablePlanner.Plan(client, new DesiredServiceTable([Written[0] with { Service = wanted }, .. Written[1..]])).Changes);
        Assert.Equal(["netmask 255.255.255.0 -> 255.255.0.0"], change.Changed);
    }

    private static void Write(IpvsClient client)
    {
        foreach (DesiredService entry in Written)
        {
            client.AddService(entry.Service);
            foreach (RealServer server in entry.RealServers)
            {
                client.AddRealServer(entry.Service.Key, server);
            }
        }
    }

    /// <summary>Keeps services and real servers as their request attributes and echoes them back as IPVS does.</summary>
    private sealed class EchoKernel
    {
        private readonly List<(string Key, List<(ushort Type, byte[] Payload)> Attributes, List<List<(ushort Type, byte[] Payload)>> Dests)> _services = [];

        public IpvsClient Open() =>
            IpvsClient.Open(new NetlinkConnection(new ScriptedTransport(sent => sent.Select(m => m.Type == Generic.GenericNetlinkResolver.ControllerId
                ? KernelReplies.Datagram(
                    KernelReplies.Reply(m, Generic.GenericNetlinkResolver.ControllerId, KernelReplies.GenericPayload(1, 2,
                        KernelReplies.AttrU16(1, Family), KernelReplies.AttrString(2, "IPVS"))),
                    KernelReplies.Ack(m))
                : Answer(m)))));

        private byte[] Answer(SentMessage m)
        {
            List<(ushort Type, byte[] Payload)> top = Attributes(m.Payload.AsSpan(4));
            List<(ushort Type, byte[] Payload)>? service = Nest(top, IpvsConstants.CmdAttrService);
            List<(ushort Type, byte[] Payload)>? dest = Nest(top, IpvsConstants.CmdAttrDest);
            switch (m.GenericCommand)
            {
                case IpvsConstants.CmdNewService:
                    _services.Add((KeyOf(service!), service!, []));
                    return KernelReplies.Ack(m);
                case IpvsConstants.CmdNewDest:
                    _services.Single(s => s.Key == KeyOf(service!)).Dests.Add(dest!);
                    return KernelReplies.Ack(m);
                case IpvsConstants.CmdGetService when service is null:
                    return KernelReplies.Datagram([.. _services.Select(s => KernelReplies.DumpEntry(m, Family, ServiceReply(s.Attributes))), KernelReplies.Done(m)]);
                case IpvsConstants.CmdGetService:
                    var found = _services.Where(s => s.Key == KeyOf(service)).ToList();
                    return found.Count == 0 ? KernelReplies.Error(m, Errno.ESRCH) : KernelReplies.Datagram(KernelReplies.Reply(m, Family, ServiceReply(found[0].Attributes)), KernelReplies.Ack(m));
                case IpvsConstants.CmdGetDest:
                    var dests = _services.Where(s => s.Key == KeyOf(service!)).SelectMany(s => s.Dests);
                    return KernelReplies.Datagram([.. dests.Select(d => KernelReplies.DumpEntry(m, Family, DestReply(d))), KernelReplies.Done(m)]);
                default:
                    return KernelReplies.Error(m, Errno.EOPNOTSUPP);
            }
        }

        /// <summary>ip_vs_genl_fill_service: the flags gain IP_VS_SVC_F_HASHED; the counters come along.</summary>
        private static byte[] ServiceReply(List<(ushort Type, byte[] Payload)> written)
        {
            var attributes = new List<byte[]>();
            foreach ((ushort type, byte[] payload) in written)
            {
                if (type == IpvsConstants.SvcAttrFlags)
                {
                    byte[] flags = [.. payload];
                    BinaryPrimitives.WriteUInt32LittleEndian(flags, BinaryPrimitives.ReadUInt32LittleEndian(flags) | (uint)ServiceFlags.Hashed);
                    attributes.Add(KernelReplies.Attr(type, flags));
                }
                else
                {
                    attributes.Add(KernelReplies.Attr(type, payload));
                }
            }
            attributes.Add(Statistics(IpvsConstants.SvcAttrStats64));
            return KernelReplies.GenericPayload(IpvsConstants.CmdNewService, 1, KernelReplies.Nested(IpvsConstants.CmdAttrService, false, [.. attributes]));
        }

        /// <summary>ip_vs_genl_fill_dest: connection counts, counters, and the tunnel attributes whatever the method.</summary>
        private static byte[] DestReply(List<(ushort Type, byte[] Payload)> written)
        {
            var attributes = written.Select(a => KernelReplies.Attr(a.Type, a.Payload)).ToList();
            if (!written.Any(a => a.Type == IpvsConstants.DestAttrTunType))
            {
                attributes.Add(KernelReplies.AttrU8(IpvsConstants.DestAttrTunType, 0));
                attributes.Add(KernelReplies.Attr(IpvsConstants.DestAttrTunPort, [0, 0]));
                attributes.Add(KernelReplies.AttrU16(IpvsConstants.DestAttrTunFlags, 0));
            }
            attributes.Add(KernelReplies.AttrU32(IpvsConstants.DestAttrActiveConns, 4));
            attributes.Add(KernelReplies.AttrU32(IpvsConstants.DestAttrInactConns, 5));
            attributes.Add(KernelReplies.AttrU32(IpvsConstants.DestAttrPersistConns, 6));
            attributes.Add(Statistics(IpvsConstants.DestAttrStats64));
            return KernelReplies.GenericPayload(IpvsConstants.CmdNewDest, 1, KernelReplies.Nested(IpvsConstants.CmdAttrDest, false, [.. attributes]));
        }

        private static byte[] Statistics(ushort type) => KernelReplies.Nested(type, false,
            KernelReplies.AttrU64(IpvsConstants.StatsAttrConns, 42),
            KernelReplies.AttrU64(IpvsConstants.StatsAttrInPkts, 420));

        /// <summary>The identifying attributes (family, protocol, address, port, mark), as one string.</summary>
        private static string KeyOf(List<(ushort Type, byte[] Payload)> service) => string.Join('/', service
            .Where(a => a.Type is IpvsConstants.SvcAttrAf or IpvsConstants.SvcAttrProtocol or IpvsConstants.SvcAttrAddr or IpvsConstants.SvcAttrPort or IpvsConstants.SvcAttrFwmark)
            .OrderBy(a => a.Type)
            .Select(a => $"{a.Type}:{Convert.ToHexString(a.Payload)}"));

        private static List<(ushort Type, byte[] Payload)>? Nest(List<(ushort Type, byte[] Payload)> attributes, ushort type) =>
            attributes.Where(a => a.Type == type).Select(a => Attributes(a.Payload)).FirstOrDefault();

        private static List<(ushort Type, byte[] Payload)> Attributes(ReadOnlySpan<byte> bytes)
        {
            var attributes = new List<(ushort, byte[])>();
            while (bytes.Length >= 4)
            {
                int length = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
                // Without NLA_F_NESTED and NLA_F_NET_BYTEORDER: the kernel's replies set neither.
                ushort type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]) & 0x3FFF);
                attributes.Add((type, bytes[4..length].ToArray()));
                bytes = bytes[Math.Min((length + 3) & ~3, bytes.Length)..];
            }
            return attributes;
        }
    }
}
