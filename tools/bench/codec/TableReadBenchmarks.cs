using BenchmarkDotNet.Attributes;
using Netlink;
using Netlink.Ipvs;

namespace CodecBench;

/// <summary>
/// A whole table read (GetTable: the service dump, then one real-server dump per service) against canned replies in the
/// kernel's layout: the library's own time and allocation for 1,000 services x 10 real servers, with no kernel work.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class TableReadBenchmarks
{
    private IpvsClient _client = null!;

    [GlobalSetup]
    public void Setup() => _client = IpvsClient.Open(new NetlinkConnection(new CannedIpvsKernel(1000, 10)));

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    [Benchmark]
    public int GetTable() => _client.GetTable().Count;

    [Benchmark]
    public int ListServices() => _client.ListServices().Count;
}
