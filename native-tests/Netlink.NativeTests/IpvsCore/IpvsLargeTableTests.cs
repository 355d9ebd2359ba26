using System.Net;
using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.IpvsCore;

/// <summary>
/// Tables large enough that reading them takes several datagrams. These run alone: IPVS keeps every namespace's
/// services in one kernel-wide hash table, and a dump resumes each datagram by counting its way through that
/// table, so a service added or removed in any other namespace meanwhile makes the next datagram repeat or skip
/// entries (seen in CI: ipvsadm -Sn printed one service and its real servers twice). That is the kernel's
/// behaviour for every reader, ipvsadm included; what is tested here is what this namespace holds.
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
[Collection(nameof(KernelWideIpvsTable))]
public sealed class IpvsLargeTableTests : IDisposable
{
    private readonly TestNamespace _ns = TestNamespace.Create();
    private readonly IpvsClient _ipvs;

    public IpvsLargeTableTests()
    {
        _ipvs = IpvsClient.Open(new IpvsClientOptions { Namespace = _ns.Namespace });
    }

    public void Dispose()
    {
        _ipvs.Dispose();
        _ns.Dispose();
    }

    [Fact]
    public void Batch_LoadsThousandsAndNamesTheFirstRefusedChange()
    {
        using IpvsBatch batch = _ipvs.CreateBatch();
        for (int i = 0; i < 1000; i++)
        {
            var key = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse($"198.18.{i / 250}.{i % 250 + 1}"), 80);
            batch.AddService(new VirtualService(key) { Scheduler = "rr" });
            for (int j = 0; j < 5; j++)
            {
                batch.AddRealServer(key, new RealServer(IPAddress.Parse($"198.19.{j}.{i % 250 + 1}"), (ushort)(8000 + (i / 250))) { Forwarding = ForwardingMethod.Masquerade });
            }
        }
        _ipvs.Execute(batch);
        IReadOnlyList<IpvsServiceEntry> table = _ipvs.GetTable();
        Assert.Equal(1000, table.Count);
        Assert.All(table, e => Assert.Equal(5, e.RealServers.Count));
        Assert.Equal(6000, _ns.Ipvsadm("-Sn").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        batch.Clear();
        var first = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80);
        batch.UpdateService(new VirtualService(first) { Scheduler = "wrr" });
        batch.AddRealServer(first, new RealServer(IPAddress.Parse("198.19.0.1"), 8000) { Forwarding = ForwardingMethod.Masquerade });
        NetlinkBatchException e = Assert.Throws<NetlinkBatchException>(() => _ipvs.Execute(batch));
        Assert.Equal(1, e.FailedIndex);
        Assert.Equal(Errno.EEXIST, e.ErrorNumber);
        Assert.StartsWith("add real server 198.19.0.1:8000 to TCP 198.18.0.1:80: File exists (EEXIST)", e.Message, StringComparison.Ordinal);
        Assert.Equal("wrr", _ipvs.GetService(first)!.Settings.Scheduler);
    }
}

/// <summary>Tests that read tables spanning several dump datagrams, run while nothing else changes IPVS.</summary>
[CollectionDefinition(nameof(KernelWideIpvsTable), DisableParallelization = true)]
public sealed class KernelWideIpvsTable
{
}
