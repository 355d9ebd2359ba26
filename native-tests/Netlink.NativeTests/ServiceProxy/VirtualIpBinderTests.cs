using System.Net;
using System.Text.Json;
using Netlink.NativeTests.Infrastructure;
using Netlink.Route;
using ServiceProxy.VirtualIps;

namespace Netlink.NativeTests.ServiceProxy;

/// <summary>
/// Virtual IPs on the dummy interface, checked against `ip -j addr`. In the IPVS ring because this machine's kernel is
/// built without dummy links, which the Debian kernels in the VM have (as every node ipvsd runs on).
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class VirtualIpBinderTests : IDisposable
{
    private static readonly IPAddress Vip1 = IPAddress.Parse("198.18.10.1");
    private static readonly IPAddress Vip2 = IPAddress.Parse("198.18.10.2");
    private static readonly IPAddress Vip6 = IPAddress.Parse("2001:db8:10::1");
    private static readonly IPAddress NodeAddress = IPAddress.Parse("198.18.20.1");

    private readonly TestNamespace _ns = TestNamespace.Create(routeTestRanges: false);
    private readonly RouteClient _route;
    private readonly VirtualIpBinder _binder;

    public VirtualIpBinderTests()
    {
        _route = RouteClient.Open(new RouteClientOptions { Namespace = _ns.Namespace });
        _binder = new VirtualIpBinder(_route, "vipstest0");
    }

    public void Dispose()
    {
        _route.Dispose();
        _ns.Dispose();
    }

    [Fact]
    public void Bind_CreatesTheDummyUp_AndPutsEachAddressOnItAsAHostRoute()
    {
        VirtualIpChanges changes = _binder.Bind([Vip2, Vip6, Vip1]);

        Assert.Equal([Vip1, Vip2, Vip6], changes.Added);
        Assert.Empty(changes.Removed);
        using JsonDocument ip = JsonDocument.Parse(_ns.Exec("ip", "-j", "-d", "addr", "show", "dev", "vipstest0"));
        JsonElement link = Assert.Single(ip.RootElement.EnumerateArray());
        Assert.Equal("dummy", link.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Contains("UP", link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var addresses = link.GetProperty("addr_info").EnumerateArray()
            .Where(a => a.GetProperty("scope").GetString() == "global")
            .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["198.18.10.1/32", "198.18.10.2/32", "2001:db8:10::1/128"], addresses);
        Assert.Equal([Vip1, Vip2, Vip6], _binder.Bound());
    }

    [Fact]
    public void Bind_AgainWithTheSameSet_ChangesNothing_AndWithFewer_RemovesTheRest()
    {
        _binder.Bind([Vip1, Vip2, Vip6]);

        Assert.True(_binder.Bind([Vip1, Vip2, Vip6]).IsEmpty);
        VirtualIpChanges fewer = _binder.Bind([Vip2]);

        Assert.Equal([Vip1, Vip6], fewer.Removed);
        Assert.Empty(fewer.Added);
        Assert.Equal([Vip2], _binder.Bound());
    }

    [Fact]
    public void AnAddressAlreadyLocalElsewhere_IsLeftWhereItIs()
    {
        _ns.Exec("ip", "link", "add", "node0", "type", "dummy");
        _ns.Exec("ip", "addr", "add", $"{NodeAddress}/24", "dev", "node0");

        VirtualIpChanges changes = _binder.Bind([Vip1, NodeAddress]);

        Assert.Equal([Vip1], changes.Added);
        Assert.Equal([NodeAddress], changes.AlreadyLocal);
        Assert.Equal([Vip1], _binder.Bound());
        Assert.Contains($"{NodeAddress}/24", _ns.Exec("ip", "-4", "addr", "show", "dev", "node0"), StringComparison.Ordinal);
    }

    [Fact]
    public void ALinkOfAnotherKindWithTheName_IsRefusedAndLeftAlone()
    {
        TestNamespace.Run("ip", "link", "add", "vipstest0", "netns", _ns.Name, "type", "veth", "peer", "name", "vipspeer0", "netns", _ns.Name);

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => _binder.Bind([Vip1]));

        Assert.Equal("interface vipstest0 exists and is a veth link, not a dummy: choose another interface name for the virtual IPs", e.Message);
        Assert.DoesNotContain("198.18.10.1", _ns.Exec("ip", "addr", "show", "dev", "vipstest0"), StringComparison.Ordinal);
    }

    [Fact]
    public void RemoveInterface_TakesEveryVirtualIpWithIt()
    {
        _binder.Bind([Vip1, Vip6]);

        Assert.True(_binder.RemoveInterface());
        Assert.False(_binder.RemoveInterface());
        Assert.Empty(_binder.Bound());
        Assert.DoesNotContain("vipstest0", _ns.Exec("ip", "link", "show"), StringComparison.Ordinal);
    }
}
