using System.Net;
using System.Text.Json;
using Netlink.NativeTests.Infrastructure;
using Netlink.Route;

namespace Netlink.NativeTests.Route;

/// <summary>Links and addresses through the library, checked against what `ip -j` reports in the same namespace.</summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class RouteClientTests : IDisposable
{
    private readonly TestNamespace _ns = TestNamespace.Create(routeTestRanges: false);
    private readonly RouteClient _route;

    public RouteClientTests()
    {
        _route = RouteClient.Open(new RouteClientOptions { Namespace = _ns.Namespace });
    }

    public void Dispose()
    {
        _route.Dispose();
        _ns.Dispose();
    }

    [Fact]
    public void ListLinks_MatchesIp()
    {
        TestNamespace.Run("ip", "link", "add", "rt-a", "netns", _ns.Name, "type", "veth", "peer", "name", "rt-b", "netns", _ns.Name);
        IReadOnlyList<Link> links = _route.ListLinks();
        using JsonDocument ip = JsonDocument.Parse(_ns.Exec("ip", "-j", "-d", "link", "show"));
        Assert.Equal(ip.RootElement.GetArrayLength(), links.Count);
        foreach (JsonElement expected in ip.RootElement.EnumerateArray())
        {
            Link link = links.Single(l => l.Name == expected.GetProperty("ifname").GetString());
            Assert.Equal(expected.GetProperty("ifindex").GetInt32(), link.Index);
            Assert.Equal(expected.GetProperty("mtu").GetUInt32(), link.Mtu);
            Assert.Equal(expected.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "UP"), link.IsUp);
            if (expected.TryGetProperty("linkinfo", out JsonElement info))
            {
                Assert.Equal(info.GetProperty("info_kind").GetString(), link.Kind);
            }
            if (expected.TryGetProperty("address", out JsonElement mac) && link.HardwareAddress.Length == 6)
            {
                Assert.Equal(mac.GetString(), string.Join(':', link.HardwareAddress.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))));
            }
        }
        Assert.Equal("veth", links.Single(l => l.Name == "rt-a").Kind);
    }

    /// <summary>
    /// A dummy link where the kernel has them; this machine's kernel is built without CONFIG_DUMMY (and the VMs'
    /// initramfs carries no ifb), so fall back to ifb, which needs no settings either.
    /// </summary>
    private string CreateTestLink(string name)
    {
        try
        {
            _route.CreateDummy(name);
            return "dummy";
        }
        catch (NetlinkException e) when (e.ErrorNumber == Errno.EOPNOTSUPP)
        {
            Assert.Equal("Unknown device type", e.KernelMessage);
            _route.CreateLink(name, "ifb");
            return "ifb";
        }
    }

    [Fact]
    public void CreateSetUpAndDelete_ALink()
    {
        string kind = CreateTestLink("vips0");
        Link created = _route.GetLink("vips0")!;
        Assert.Equal(kind, created.Kind);
        Assert.False(created.IsUp);

        _route.SetLinkUp("vips0", true);
        Assert.True(_route.GetLink("vips0")!.IsUp);
        Assert.Contains("UP", _ns.Exec("ip", "-j", "link", "show", "vips0"), StringComparison.Ordinal);
        _route.SetLinkUp("vips0", false);
        Assert.False(_route.GetLink("vips0")!.IsUp);

        NetlinkException exists = Assert.Throws<NetlinkException>(() => _route.CreateLink("vips0", kind));
        Assert.Equal(Errno.EEXIST, exists.ErrorNumber);
        Assert.StartsWith($"create {kind} link vips0: File exists (EEXIST)", exists.Message, StringComparison.Ordinal);

        _route.DeleteLink("vips0");
        Assert.Null(_route.GetLink("vips0"));
        Assert.Equal(Errno.ENODEV, Assert.Throws<NetlinkException>(() => _route.DeleteLink("vips0")).ErrorNumber);
        Assert.Throws<ArgumentException>(() => _route.CreateLink("a-name-longer-than-15", "ifb"));
    }

    [Fact]
    public void Addresses_AddListRemove_BothFamilies_MatchIp()
    {
        CreateTestLink("vips0");
        _route.SetLinkUp("vips0", true);
        _route.AddAddress("vips0", IPAddress.Parse("198.18.0.10"), 32);
        _route.AddAddress("vips0", IPAddress.Parse("198.18.0.11"), 32);
        _route.AddAddress("vips0", IPAddress.Parse("2001:db8::10"), 128);

        int index = _route.GetLink("vips0")!.Index;
        IReadOnlyList<InterfaceAddress> mine = _route.ListAddresses(index);
        Assert.Contains(mine, a => a.Address.Equals(IPAddress.Parse("198.18.0.10")) && a.PrefixLength == 32 && a.Label == "vips0");
        Assert.Contains(mine, a => a.Address.Equals(IPAddress.Parse("198.18.0.11")));
        InterfaceAddress v6 = mine.Single(a => a.Address.Equals(IPAddress.Parse("2001:db8::10")));
        Assert.Equal(128, v6.PrefixLength);
        Assert.True((v6.Flags & 0x02) != 0, "IPv6 virtual IP added without IFA_F_NODAD");

        using (JsonDocument ip = JsonDocument.Parse(_ns.Exec("ip", "-j", "addr", "show", "dev", "vips0")))
        {
            string[] byIp = ip.RootElement[0].GetProperty("addr_info").EnumerateArray().Select(a => a.GetProperty("local").GetString()!).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(byIp, mine.Select(a => a.Address.ToString()).Order(StringComparer.Ordinal).ToArray());
        }

        Assert.Equal(Errno.EEXIST, Assert.Throws<NetlinkException>(() => _route.AddAddress("vips0", IPAddress.Parse("198.18.0.10"), 32)).ErrorNumber);
        _route.RemoveAddress("vips0", IPAddress.Parse("198.18.0.10"), 32);
        _route.RemoveAddress("vips0", IPAddress.Parse("2001:db8::10"), 128);
        Assert.Equal(["198.18.0.11"], _route.ListAddresses(index).Where(a => a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork).Select(a => a.Address.ToString()));
        Assert.DoesNotContain("198.18.0.10", _ns.Exec("ip", "addr", "show", "dev", "vips0"), StringComparison.Ordinal);
        Assert.Equal(Errno.EADDRNOTAVAIL, Assert.Throws<NetlinkException>(() => _route.RemoveAddress("vips0", IPAddress.Parse("198.18.0.10"), 32)).ErrorNumber);
    }

    [Fact]
    public void Addresses_ByInterfaceIndex_AreTheSameRequests_WithoutALinkLookup()
    {
        CreateTestLink("vips1");
        int index = _route.GetLink("vips1")!.Index;

        _route.AddAddress(index, IPAddress.Parse("198.18.0.20"), 32);
        _route.AddAddress(index, IPAddress.Parse("2001:db8::20"), 128);

        Assert.Contains("198.18.0.20/32", _ns.Exec("ip", "-4", "addr", "show", "dev", "vips1"), StringComparison.Ordinal);
        Assert.Contains("2001:db8::20/128", _ns.Exec("ip", "-6", "addr", "show", "dev", "vips1"), StringComparison.Ordinal);
        _route.RemoveAddress(index, IPAddress.Parse("198.18.0.20"), 32);
        Assert.DoesNotContain("198.18.0.20", _ns.Exec("ip", "addr", "show", "dev", "vips1"), StringComparison.Ordinal);
        NetlinkException missing = Assert.Throws<NetlinkException>(() => _route.AddAddress(index + 1000, IPAddress.Parse("198.18.0.21"), 32));
        Assert.Equal(Errno.ENODEV, missing.ErrorNumber);
        Assert.Contains($"198.18.0.21/32 on link {index + 1000}", missing.Message, StringComparison.Ordinal);
    }
}

/// <summary>The dummy link itself, on a kernel that has it (the VMs' Debian kernels).</summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class DummyLinkTests
{
    [Fact]
    public void CreateDummy_HoldsVirtualIps_AndDeletes()
    {
        using TestNamespace ns = TestNamespace.Create(routeTestRanges: false);
        using RouteClient route = RouteClient.Open(new RouteClientOptions { Namespace = ns.Namespace });
        route.CreateDummy("kube-ipvs0");
        route.AddAddress("kube-ipvs0", IPAddress.Parse("198.18.0.1"), 32);
        Assert.Equal("dummy", route.GetLink("kube-ipvs0")!.Kind);
        Assert.Contains("\"info_kind\":\"dummy\"", ns.Exec("ip", "-j", "-d", "link", "show", "kube-ipvs0"), StringComparison.Ordinal);
        Assert.Contains("198.18.0.1/32", ns.Exec("ip", "addr", "show", "dev", "kube-ipvs0"), StringComparison.Ordinal);
        route.DeleteLink("kube-ipvs0");
        Assert.Null(route.GetLink("kube-ipvs0"));
    }
}
