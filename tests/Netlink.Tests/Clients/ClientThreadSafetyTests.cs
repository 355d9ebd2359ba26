using Netlink.Testing;
using System.Net;
using Netlink.Generic;
using Netlink.Ipvs;
using Netlink.Netfilter.Conntrack;
using Netlink.Netfilter.NfTables;
using Netlink.Route;
using Netlink.Tests.Core;
using static Netlink.Testing.KernelReplies;

namespace Netlink.Tests.Clients;

/// <summary>
/// Each client's doc comment says: not thread-safe, and a second thread gets InvalidOperationException rather than
/// corrupting the first. Here one thread's read is held inside the kernel (a gated transport) while a second thread
/// starts another operation: that one is refused without a byte sent, and the read completes.
/// </summary>
public sealed class ClientThreadSafetyTests
{
    private const ushort IpvsFamily = 35;

    /// <summary>A kernel that knows the IPVS family, answers every dump with an empty NLMSG_DONE and acks the rest.</summary>
    private static GatedTransport Kernel() => new(new ScriptedTransport(sent => sent.Select(m =>
        m.Type == GenericNetlinkResolver.ControllerId
            ? Datagram(Reply(m, GenericNetlinkResolver.ControllerId, GenericPayload(1, 2, AttrU16(1, IpvsFamily), AttrString(2, "IPVS"))), Ack(m))
            : m.Has(NetlinkMessageFlags.Dump) ? Done(m) : Ack(m))));

    public static TheoryData<string> Clients => ["ipvs", "nftables", "conntrack", "route"];

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task A_second_thread_is_refused_while_the_first_reads(string kind)
    {
        GatedTransport gate = Kernel();
        (IDisposable client, Func<int> read, Action other) = Open(kind, new NetlinkConnection(gate));
        using (client)
        {
            int sentBefore = gate.Inner.SentDatagrams.Count;
            gate.Arm();
            Task<int> reading = Task.Run(read, TestContext.Current.CancellationToken);
            gate.WaitUntilBlocked();

            InvalidOperationException e = Assert.Throws<InvalidOperationException>(other);
            Assert.Contains("not thread-safe", e.Message, StringComparison.Ordinal);
            Assert.Contains("use one client per thread or lock around it", e.Message, StringComparison.Ordinal);

            gate.Release();
            Assert.Equal(0, await reading);
            Assert.Equal(sentBefore + 1, gate.Inner.SentDatagrams.Count); // only the read went out
            other(); // one at a time is fine
        }
    }

    /// <summary>The client, a read that returns how many items it listed, and another operation.</summary>
    private static (IDisposable Client, Func<int> Read, Action Other) Open(string kind, NetlinkConnection connection)
    {
        switch (kind)
        {
            case "ipvs":
                IpvsClient ipvs = IpvsClient.Open(connection);
                var key = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80);
                return (ipvs, () => ipvs.ListServices().Count, () => ipvs.AddService(new VirtualService(key)));
            case "nftables":
                NfTablesClient nft = NfTablesClient.Open(connection);
                return (nft, () => nft.ListTables().Count, () => _ = nft.ListChains());
            case "conntrack":
                ConntrackClient conntrack = ConntrackClient.Open(connection);
                return (conntrack, () => conntrack.List().Count, conntrack.Flush);
            default:
                RouteClient route = RouteClient.Open(connection);
                return (route, () => route.ListLinks().Count, () => route.SetLinkUp("lb0", up: true));
        }
    }
}
