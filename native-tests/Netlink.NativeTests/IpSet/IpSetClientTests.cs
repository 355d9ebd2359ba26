using System.Net;
using System.Net.Sockets;
using Netlink.NativeTests.Infrastructure;
using Netlink.Netfilter.IpSet;

namespace Netlink.NativeTests.IpSet;

/// <summary>
/// The ipset client against this machine's kernel in a fresh namespace, checked against the <c>ipset</c> program both
/// ways: what the library writes, <c>ipset save</c> prints; what <c>ipset restore</c> writes, the library lists.
/// </summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class IpSetClientTests : IDisposable
{
    private static readonly ProtocolType Sctp = (ProtocolType)132;
    private readonly TestNamespace _ns = TestNamespace.Create(routeTestRanges: false);
    private readonly IpSetClient _client;

    public IpSetClientTests() => _client = IpSetClient.Open(new IpSetClientOptions { Namespace = _ns.Namespace });

    public void Dispose()
    {
        _client.Dispose();
        _ns.Dispose();
    }

    /// <summary>One set of each type and family with elements, and the lines `ipset save` prints for them.</summary>
    private static IEnumerable<(IpSetDefinition Set, IpSetEntry[] Entries, string[] SavedAdds)> Samples()
    {
        IPAddress A(string text) => IPAddress.Parse(text);
        IPNetwork N(string text) => IPNetwork.Parse(text);
        yield return (new IpSetDefinition("t-ip4", IpSetType.HashIp, IpSetFamily.IPv4),
            [IpSetEntry.Ip(A("198.18.0.1")), IpSetEntry.Ip(A("198.19.255.254"))], ["198.18.0.1", "198.19.255.254"]);
        yield return (new IpSetDefinition("t-ip6", IpSetType.HashIp, IpSetFamily.IPv6), [IpSetEntry.Ip(A("2001:db8::1"))], ["2001:db8::1"]);
        yield return (new IpSetDefinition("t-net4", IpSetType.HashNet, IpSetFamily.IPv4),
            [IpSetEntry.Net(N("198.18.0.0/16")), IpSetEntry.Net(N("198.19.1.0/24")), IpSetEntry.Net(N("198.19.2.3/32"))],
            ["198.18.0.0/16", "198.19.1.0/24", "198.19.2.3"]);
        yield return (new IpSetDefinition("t-net6", IpSetType.HashNet, IpSetFamily.IPv6), [IpSetEntry.Net(N("2001:db8:1::/48"))], ["2001:db8:1::/48"]);
        yield return (new IpSetDefinition("t-ipport4", IpSetType.HashIpPort, IpSetFamily.IPv4) { HashSize = 4096, MaxElements = 100000 },
            [IpSetEntry.IpPort(A("198.18.0.1"), ProtocolType.Tcp, 80), IpSetEntry.IpPort(A("198.18.0.1"), ProtocolType.Udp, 53),
             IpSetEntry.IpPort(A("198.18.0.2"), Sctp, 9999)],
            ["198.18.0.1,tcp:80", "198.18.0.1,udp:53", "198.18.0.2,sctp:9999"]);
        yield return (new IpSetDefinition("t-ipport6", IpSetType.HashIpPort, IpSetFamily.IPv6),
            [IpSetEntry.IpPort(A("2001:db8::10"), ProtocolType.Tcp, 443)], ["2001:db8::10,tcp:443"]);
        yield return (new IpSetDefinition("t-ipportip4", IpSetType.HashIpPortIp, IpSetFamily.IPv4),
            [IpSetEntry.IpPortIp(A("198.18.1.5"), ProtocolType.Tcp, 8080, A("198.18.1.5"))], ["198.18.1.5,tcp:8080,198.18.1.5"]);
        yield return (new IpSetDefinition("t-ipportip6", IpSetType.HashIpPortIp, IpSetFamily.IPv6),
            [IpSetEntry.IpPortIp(A("2001:db8::5"), ProtocolType.Udp, 53, A("2001:db8::5"))], ["2001:db8::5,udp:53,2001:db8::5"]);
        yield return (new IpSetDefinition("t-ipportnet4", IpSetType.HashIpPortNet, IpSetFamily.IPv4),
            [IpSetEntry.IpPortNet(A("198.18.2.1"), ProtocolType.Tcp, 443, N("198.19.0.0/16")),
             IpSetEntry.IpPortNet(A("198.18.2.1"), ProtocolType.Tcp, 443, N("198.18.9.9/32"))],
            ["198.18.2.1,tcp:443,198.19.0.0/16", "198.18.2.1,tcp:443,198.18.9.9"]);
        yield return (new IpSetDefinition("t-ipportnet6", IpSetType.HashIpPortNet, IpSetFamily.IPv6),
            [IpSetEntry.IpPortNet(A("2001:db8::2"), ProtocolType.Tcp, 443, N("2001:db8:ff::/64"))], ["2001:db8::2,tcp:443,2001:db8:ff::/64"]);
        yield return (new IpSetDefinition("t-ports", IpSetType.BitmapPort, IpSetFamily.Unspecified),
            [IpSetEntry.PortOnly(30080), IpSetEntry.PortOnly(0), IpSetEntry.PortOnly(65535)], ["0", "30080", "65535"]);
    }

    [Fact]
    public void WhatTheLibraryWrites_IpsetSaveShows()
    {
        using var batch = new IpSetBatch();
        foreach ((IpSetDefinition set, IpSetEntry[] entries, _) in Samples())
        {
            _client.Create(set);
            foreach (IpSetEntry entry in entries)
            {
                batch.Add(set.Name, entry);
            }
        }
        Assert.Equal(batch.Count, _client.Execute(batch));

        string saved = _ns.Exec("ipset", "save");
        string[] lines = saved.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach ((IpSetDefinition set, _, string[] adds) in Samples())
        {
            string create = Assert.Single(lines, l => l.StartsWith($"create {set.Name} ", StringComparison.Ordinal));
            string family = set.Family switch { IpSetFamily.IPv4 => " family inet ", IpSetFamily.IPv6 => " family inet6 ", _ => " range 0-65535" };
            Assert.StartsWith($"create {set.Name} {set.Type.Name()}", create, StringComparison.Ordinal);
            Assert.Contains(family, create + " ", StringComparison.Ordinal);
            if (set.HashSize is { } hashSize)
            {
                Assert.Contains($" hashsize {hashSize} maxelem {set.MaxElements}", create, StringComparison.Ordinal);
            }
            string[] savedAdds = [.. lines.Where(l => l.StartsWith($"add {set.Name} ", StringComparison.Ordinal)).Select(l => l[$"add {set.Name} ".Length..]).Order(StringComparer.Ordinal)];
            Assert.Equal(adds.Order(StringComparer.Ordinal), savedAdds);
        }
    }

    [Fact]
    public void WhatIpsetRestoreWrites_TheLibraryLists()
    {
        var script = new System.Text.StringBuilder();
        foreach ((IpSetDefinition set, _, string[] adds) in Samples())
        {
            string options = set.Family switch { IpSetFamily.IPv4 => "family inet", IpSetFamily.IPv6 => "family inet6", _ => "range 0-65535" };
            script.Append($"create {set.Name} {set.Type.Name()} {options}\n");
            foreach (string add in adds)
            {
                script.Append($"add {set.Name} {add}\n");
            }
        }
        Assert.Equal(0, _ns.TryExec(script.ToString(), "ipset", "restore").ExitCode);

        IReadOnlyList<IpSetListing> listed = _client.List();
        foreach ((IpSetDefinition set, IpSetEntry[] entries, _) in Samples())
        {
            IpSetListing listing = Assert.Single(listed, l => l.Name == set.Name);
            Assert.Equal(set.Type, listing.Type);
            Assert.Equal(set.Family, listing.Family);
            Assert.Equal((uint)entries.Length, listing.ElementCount);
            Assert.Equal(entries.Select(e => e.ToString()).Order(StringComparer.Ordinal), listing.Entries.Select(e => e.ToString()).Order(StringComparer.Ordinal));
            Assert.True(entries.ToHashSet().SetEquals(listing.Entries), $"{set.Name}: listed {string.Join(" ", listing.Entries)}");
            Assert.All(entries, e => Assert.True(_client.Test(set.Name, e), $"test {e} in {set.Name}"));
        }
        Assert.False(_client.Test("t-ipport4", IpSetEntry.IpPort(IPAddress.Parse("198.18.0.1"), ProtocolType.Tcp, 81)));
        IpSetListing header = Assert.Single(_client.List("t-ports", headersOnly: true));
        Assert.Empty(header.Entries);
        Assert.Equal(((ushort)0, ushort.MaxValue), header.PortRange);
    }

    [Fact]
    public void DeleteFlushRenameSwapDestroy_DoWhatIpsetDoes()
    {
        var vips = new IpSetDefinition("vips", IpSetType.HashIpPort, IpSetFamily.IPv4);
        IpSetEntry one = IpSetEntry.IpPort(IPAddress.Parse("198.18.0.1"), ProtocolType.Tcp, 80);
        IpSetEntry two = IpSetEntry.IpPort(IPAddress.Parse("198.18.0.2"), ProtocolType.Tcp, 80);
        _client.Create(vips);
        _client.Create(vips with { Name = "vips-new" });
        _client.Add("vips", one);
        _client.Add("vips-new", two);
        _client.Add("vips-new", one);
        _client.Delete("vips-new", one);

        _client.Swap("vips", "vips-new");
        Assert.Equal("add vips 198.18.0.2,tcp:80", Adds("vips"));
        Assert.Equal("add vips-new 198.18.0.1,tcp:80", Adds("vips-new"));

        _client.Flush("vips-new");
        Assert.Equal("", Adds("vips-new"));
        _client.Rename("vips-new", "vips-old");
        _client.Destroy("vips-old");
        Assert.Equal(["vips"], _client.List(headersOnly: true).Select(s => s.Name));
    }

    [Fact]
    public void Refusals_NameTheOperationAndIpsetsReason()
    {
        var vips = new IpSetDefinition("vips", IpSetType.HashIpPort, IpSetFamily.IPv4);
        IpSetEntry one = IpSetEntry.IpPort(IPAddress.Parse("198.18.0.1"), ProtocolType.Tcp, 80);
        _client.Create(vips);
        _client.Add("vips", one);

        IpSetException e = Assert.Throws<IpSetException>(() => _client.Add("vips", one));
        Assert.True(e.IsExist);
        Assert.Equal("add element 198.18.0.1,tcp:80 to set vips: the element is in the set already (IPSET_ERR_EXIST)", e.Message);
        _client.Add("vips", one, ifMissing: true);

        _client.Delete("vips", one);
        e = Assert.Throws<IpSetException>(() => _client.Delete("vips", one));
        Assert.Equal("delete element 198.18.0.1,tcp:80 from set vips: the element is not in the set (IPSET_ERR_EXIST)", e.Message);
        _client.Delete("vips", one, ifPresent: true);

        e = Assert.Throws<IpSetException>(() => _client.Create(vips));
        Assert.Equal("create set vips (hash:ip,port, IPv4): a set of that name exists already (EEXIST)", e.Message);
        _client.Create(vips, ifMissing: true);

        e = Assert.Throws<IpSetException>(() => _client.Add("nope", one));
        Assert.Equal("add element 198.18.0.1,tcp:80 to set nope: no set of that name exists (ENOENT)", e.Message);
        e = Assert.Throws<IpSetException>(() => _client.List("nope"));
        Assert.Equal(Errno.ENOENT, e.ErrorNumber);

        e = Assert.Throws<IpSetException>(() => _client.Add("vips", IpSetEntry.IpPort(IPAddress.Parse("2001:db8::1"), ProtocolType.Tcp, 80)));
        Assert.Contains("to set vips: ", e.Message, StringComparison.Ordinal);

        _client.Create(new IpSetDefinition("addrs", IpSetType.HashIp, IpSetFamily.IPv4));
        e = Assert.Throws<IpSetException>(() => _client.Swap("vips", "addrs"));
        Assert.Equal("swap sets vips and addrs: the two sets differ in type or family (IPSET_ERR_TYPE_MISMATCH)", e.Message);

        // A set an iptables rule matches cannot go away, as with ipset destroy.
        _ns.Exec("iptables", "-A", "INPUT", "-m", "set", "--match-set", "vips", "dst,dst", "-j", "ACCEPT");
        e = Assert.Throws<IpSetException>(() => _client.Destroy("vips"));
        Assert.Equal("destroy set vips: the set is in use by an iptables rule or another set; remove the reference first (IPSET_ERR_BUSY)", e.Message);
        Assert.Equal(1u, Assert.Single(_client.List("vips", headersOnly: true)).References);
    }

    [Fact]
    public void ABatchStopsAtTheFirstRefusal_AndNamesIt()
    {
        _client.Create(new IpSetDefinition("vips", IpSetType.HashIpPort, IpSetFamily.IPv4));
        using var batch = new IpSetBatch();
        for (int i = 1; i <= 600; i++)
        {
            batch.Add("vips", IpSetEntry.IpPort(IPAddress.Parse($"198.18.{i / 256}.{i % 256}"), ProtocolType.Tcp, 80));
        }
        batch.Add("vips", IpSetEntry.IpPort(IPAddress.Parse("198.18.0.7"), ProtocolType.Tcp, 80));
        batch.Add("vips", IpSetEntry.IpPort(IPAddress.Parse("198.19.0.1"), ProtocolType.Tcp, 80));
        IpSetException e = Assert.Throws<IpSetException>(() => _client.Execute(batch));
        Assert.Equal("add element 198.18.0.7,tcp:80 to set vips: the element is in the set already (IPSET_ERR_EXIST)", e.Message);
        // The kernel goes on with the rest of the send the refusal was in (both extra adds went out together), as
        // NetlinkBatchOptions.StopAtFirstError documents; later sends are not made.
        Assert.Equal(601u, Assert.Single(_client.List("vips", headersOnly: true)).ElementCount);
        Assert.True(_client.Test("vips", IpSetEntry.IpPort(IPAddress.Parse("198.19.0.1"), ProtocolType.Tcp, 80)));
    }

    [Fact]
    public void TenThousandElements_GoInOneBatch_AndListBackWhole()
    {
        _client.Create(new IpSetDefinition("many", IpSetType.HashIpPort, IpSetFamily.IPv4) { HashSize = 16384 });
        using var batch = new IpSetBatch();
        var written = new HashSet<IpSetEntry>();
        for (int i = 0; i < 10000; i++)
        {
            IpSetEntry entry = IpSetEntry.IpPort(new IPAddress([198, 18, (byte)(i / 256), (byte)(i % 256)]), ProtocolType.Tcp, 80);
            written.Add(entry);
            batch.Add("many", entry);
        }
        Assert.Equal(10000, _client.Execute(batch));
        IpSetListing many = Assert.Single(_client.List("many"));
        Assert.Equal(10000, many.Entries.Count);
        Assert.True(written.SetEquals(many.Entries));
        Assert.Equal(10000, _ns.Exec("ipset", "save", "many").Split('\n').Count(l => l.StartsWith("add many ", StringComparison.Ordinal)));
    }

    private string Adds(string set) =>
        string.Join("\n", _ns.Exec("ipset", "save", set).Split('\n').Where(l => l.StartsWith("add ", StringComparison.Ordinal)));
}
