using System.Diagnostics;
using System.Globalization;
using System.Net;
using Netlink.Ipvs;

// ipvs-bench RULES: loads the table of an `ipvsadm -R` script (as ../shared/bench/gen-rules.py writes it) with
// the library in one batch, then lists it all back, and prints the two wall times measured inside this process
// from first request to last reply, as the floor program does. Parsing the script is outside the timings.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: ipvs-bench RULES-FILE");
    return 2;
}

var services = new List<VirtualService>();
var realServers = new List<(VirtualServiceKey Service, RealServer Server)>();
foreach (string line in File.ReadLines(args[0]))
{
    string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (f.Length == 0)
    {
        continue;
    }
    VirtualServiceKey key = ParseService(f);
    if (f[0] == "-A")
    {
        services.Add(new VirtualService(key) { Scheduler = Option(f, "-s") ?? "wlc" });
    }
    else if (f[0] == "-a")
    {
        (IPAddress address, ushort port) = ParseEndpoint(Option(f, "-r") ?? throw new FormatException(line));
        realServers.Add((key, new RealServer(address, port)
        {
            Forwarding = f.Contains("-m") ? ForwardingMethod.Masquerade : f.Contains("-i") ? ForwardingMethod.Tunnel : ForwardingMethod.DirectRouting,
            Weight = int.Parse(Option(f, "-w") ?? "1", CultureInfo.InvariantCulture),
        }));
    }
}

IpvsClient client;
try
{
    client = IpvsClient.Open();
    // Reading needs CAP_NET_ADMIN too: find out now, with one line, rather than halfway through the load.
    client.GetInfo();
}
catch (Netlink.NetlinkException e)
{
    Console.Error.WriteLine("ipvs-bench: " + e.Message);
    return 1;
}
using IpvsClient disposeClient = client;
using IpvsBatch batch = client.CreateBatch();
// The script's order: each service, then its real servers.
int next = 0;
foreach (VirtualService service in services)
{
    batch.AddService(service);
    while (next < realServers.Count && realServers[next].Service == service.Key)
    {
        batch.AddRealServer(realServers[next].Service, realServers[next].Server);
        next++;
    }
}
for (; next < realServers.Count; next++)
{
    batch.AddRealServer(realServers[next].Service, realServers[next].Server);
}

long start = Stopwatch.GetTimestamp();
client.Execute(batch);
TimeSpan load = Stopwatch.GetElapsedTime(start);

// What the listing costs the collector, printed beside the times: allocation and GC count in this process.
long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
start = Stopwatch.GetTimestamp();
IReadOnlyList<IpvsServiceEntry> table = client.GetTable();
TimeSpan list = Stopwatch.GetElapsedTime(start);
long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
string collections = string.Join('/', collectionsBefore.Select((before, generation) => GC.CollectionCount(generation) - before));

int listed = table.Sum(e => e.RealServers.Count);
if (table.Count != services.Count || listed != realServers.Count)
{
    Console.Error.WriteLine($"ipvs-bench: listed {table.Count} services and {listed} real servers, loaded {services.Count} and {realServers.Count}");
    return 1;
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"library: services={table.Count} dests={listed} load_s={load.TotalSeconds:F3} list_s={list.TotalSeconds:F3} list_alloc_mb={allocated / 1e6:F1} list_gcs={collections}"));
return 0;

static string? Option(string[] f, string name)
{
    int i = Array.IndexOf(f, name);
    return i >= 0 && i + 1 < f.Length ? f[i + 1] : null;
}

static VirtualServiceKey ParseService(string[] f)
{
    if (Option(f, "-t") is string tcp)
    {
        (IPAddress a, ushort p) = ParseEndpoint(tcp);
        return VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, a, p);
    }
    if (Option(f, "-u") is string udp)
    {
        (IPAddress a, ushort p) = ParseEndpoint(udp);
        return VirtualServiceKey.ForAddress(IpvsProtocol.Udp, a, p);
    }
    throw new FormatException("only -t and -u services are supported: " + string.Join(' ', f));
}

static (IPAddress Address, ushort Port) ParseEndpoint(string text)
{
    int colon = text.LastIndexOf(':');
    return (IPAddress.Parse(text[..colon].Trim('[', ']')), ushort.Parse(text[(colon + 1)..], CultureInfo.InvariantCulture));
}
