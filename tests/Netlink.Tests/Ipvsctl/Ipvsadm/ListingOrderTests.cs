using System.Net;
using Ipvsctl.Ipvsadm;
using Netlink.Ipvs;

namespace Netlink.Tests.Ipvsctl.Ipvsadm;

public sealed class ListingOrderTests
{
    private static ObservedVirtualService Tcp(string address, ushort port) => Read(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse(address), port));

    private static ObservedVirtualService Read(VirtualServiceKey key) => new(new VirtualService(key));

    private static ObservedRealServer Read(string address, ushort port) => new(new RealServer(IPAddress.Parse(address), port));

    [Fact]
    public void Services_sort_by_mark_then_family_protocol_address_and_port()
    {
        var services = new List<ObservedVirtualService>
        {
            Tcp("198.18.0.2", 80), Read(VirtualServiceKey.ForFirewallMark(5)), Tcp("2001:db8::1", 80),
            Read(VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("198.18.0.1"), 53)), Tcp("198.18.0.1", 443), Tcp("198.18.0.1", 80),
        };
        ListingOrder.SortServices(services);
        Assert.Equal(["TCP 198.18.0.1:80", "TCP 198.18.0.1:443", "TCP 198.18.0.2:80", "UDP 198.18.0.1:53", "TCP [2001:db8::1]:80", "FWM 5"],
            services.Select(s => s.Key.ToString()));
    }

    [Fact]
    public void Comparisons_wrap_as_libipvs_subtractions_do()
    {
        // 10.0.0.1 - 200.0.0.1 is positive as a wrapped 32-bit int, so libipvs puts 200.0.0.1 first.
        Assert.True(ListingOrder.CompareServices(Tcp("10.0.0.1", 80), Tcp("200.0.0.1", 80)) > 0);
        Assert.True(ListingOrder.CompareServices(Tcp("10.0.0.1", 80), Tcp("100.0.0.1", 80)) < 0);
        var servers = new List<ObservedRealServer> { Read("10.0.0.1", 80), Read("200.0.0.1", 80), Read("10.0.0.1", 79) };
        ListingOrder.SortServers(servers);
        Assert.Equal(["200.0.0.1:80", "10.0.0.1:79", "10.0.0.1:80"], servers.Select(s => s.Endpoint));
    }
}
