using System.Diagnostics;
using System.Net;
using Netlink.Ipvs;
using Netlink.Testing;

namespace Netlink.Tests.Testing;

/// <summary>A table of the size the service proxy must handle, through the fake in one batch and one GetTable.</summary>
public sealed class FakeIpvsScaleTests(ITestOutputHelper output)
{
    [Fact]
    public void TenThousandServices_TimesTenRealServers_GoInAndComeBack()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        var time = Stopwatch.StartNew();
        using IpvsBatch batch = ipvs.CreateBatch();
        for (int i = 0; i < 10_000; i++)
        {
            var key = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse($"198.18.{i / 250}.{i % 250 + 1}"), 80);
            batch.AddService(new VirtualService(key) { Scheduler = "rr" });
            for (int j = 0; j < 10; j++)
            {
                batch.AddRealServer(key, new RealServer(IPAddress.Parse($"198.19.{j}.{i % 250 + 1}"), (ushort)(8000 + i / 250)) { Forwarding = ForwardingMethod.Masquerade });
            }
        }
        ipvs.Execute(batch);
        TimeSpan applied = time.Elapsed;
        IReadOnlyList<IpvsServiceEntry> table = ipvs.GetTable();
        output.WriteLine($"10,000 x 10: apply {applied.TotalSeconds:F2} s, read back {(time.Elapsed - applied).TotalSeconds:F2} s");
        Assert.Equal((10_000, 100_000), (kernel.ServiceCount, kernel.RealServerCount));
        Assert.Equal(10_000, table.Count);
        Assert.All(table, entry => Assert.Equal(10, entry.RealServers.Count));
        Assert.Equal(IPAddress.Parse("198.19.9.1"), table[0].RealServers[0].Settings.Address);
    }
}
