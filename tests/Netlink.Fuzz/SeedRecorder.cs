using System.Net;
using System.Net.Sockets;
using Netlink.Fuzz.Targets;
using Netlink.Ipvs;
using Netlink.Testing;
using static Netlink.Testing.KernelReplies;

namespace Netlink.Fuzz;

/// <summary>
/// Writes the netlink targets' seed corpora: each target's operations run against a kernel through a
/// <see cref="RecordingTransport"/>, and what the kernel answered becomes a reply script. IPVS is the in-memory kernel
/// (it speaks the kernel's wire format); nf_tables, conntrack, ipset and rtnetlink are this machine's kernel, in whatever
/// network namespace this runs in (tools/fuzz --record-seeds prepares one). The core target's seeds are built by hand.
/// </summary>
public static class SeedRecorder
{
    /// <summary>Writes the seeds under <paramref name="directory"/>/TARGET/; 0 on success.</summary>
    public static int Record(string directory)
    {
        Write(directory, "netlink-core", "replies", CoreScript());
        Write(directory, "ipvs-replies", "table", RecordOn(ClientReplyTargets.Ipvs, RichIpvsKernel().OpenSocket()));
        Write(directory, "ipvs-replies", "empty", RecordOn(ClientReplyTargets.Ipvs, new FakeIpvsKernel().OpenSocket()));
        Write(directory, "nftables-replies", "ruleset", RecordOn(ClientReplyTargets.NfTables, NetlinkSocket.Open(NetlinkProtocol.Netfilter)));
        Write(directory, "conntrack-replies", "table", RecordOn(ClientReplyTargets.Conntrack, NetlinkSocket.Open(NetlinkProtocol.Netfilter)));
        Write(directory, "route-replies", "links-addresses", RecordOn(ClientReplyTargets.Route, NetlinkSocket.Open(NetlinkProtocol.Route)));
        Write(directory, "ipset-replies", "sets", RecordOn(ClientReplyTargets.IpSet, NetlinkSocket.Open(NetlinkProtocol.Netfilter)));
        return 0;
    }

    private static void Write(string directory, string target, string name, byte[] script)
    {
        string folder = Path.Combine(directory, target);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, name), script);
        Console.WriteLine($"{target}/{name}: {script.Length} bytes");
    }

    private static byte[] RecordOn(NetlinkReplyTarget target, INetlinkTransport kernel)
    {
        var recording = new RecordingTransport(kernel);
        using (var connection = new NetlinkConnection(recording))
        {
            target.Perform(connection);
        }
        return ReplyScript.Join(recording.Received);
    }

    private static FakeIpvsKernel RichIpvsKernel()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient client = kernel.OpenClient();
        var web = new VirtualService(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80)) { Scheduler = "rr" };
        client.AddService(web);
        client.AddRealServer(web.Key, new RealServer(IPAddress.Parse("198.18.1.1"), 8080) { Forwarding = ForwardingMethod.Masquerade, Weight = 3 });
        client.AddRealServer(web.Key, new RealServer(IPAddress.Parse("198.18.1.2"), 8080) { Forwarding = ForwardingMethod.Masquerade, UpperThreshold = 100, LowerThreshold = 10 });
        var dns = new VirtualService(VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("2001:db8::53"), 53)) { Scheduler = "sh", PersistenceTimeout = 300 };
        client.AddService(dns);
        client.AddRealServer(dns.Key, new RealServer(IPAddress.Parse("2001:db8::1:1"), 53) { Forwarding = ForwardingMethod.Tunnel });
        client.AddService(new VirtualService(VirtualServiceKey.ForFirewallMark(7, AddressFamily.InterNetwork)) { Scheduler = "wlc" });
        return kernel;
    }

    /// <summary>The core target's operations in order: a raw datagram, an ack, a query's reply, a dump.</summary>
    private static byte[] CoreScript()
    {
        byte[] payload = GenericPayload(1, 1);
        const NetlinkMessageFlags Flags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack;
        var request = new SentMessage(0x11, Flags, 1, 0x4321, payload, Message(0x11, Flags, 1, 0x4321, payload));
        byte[] family = GenericPayload(1, 2,
            AttrString(2, "IPVS"), AttrU16(1, 0x20), AttrU32(3, 1), AttrU32(4, 0), AttrU32(5, 9),
            Nested(6, false, Nested(1, false, AttrU32(1, 1), AttrU32(2, 0x0e))),
            Nested(7, false, Nested(1, false, AttrU32(2, 0x21), AttrString(1, "sync"))));
        return ReplyScript.Join(
        [
            Datagram(Reply(request, 0x10, family), Error(request, Errno.EINVAL, "Attribute failed policy validation")),
            Datagram(Ack(request)),
            Datagram(Reply(request, 0x10, family)),
            Datagram(DumpEntry(request, 0x10, family), DumpEntry(request, 0x10, family)),
            Datagram(Done(request)),
        ]);
    }
}
