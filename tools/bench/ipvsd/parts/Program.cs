using System.Diagnostics;
using System.Globalization;
using System.Net;
using Netlink;
using Netlink.Ipvs;
using Netlink.Route;
using ServiceProxy.Model;
using ServiceProxy.Planning;
using ServiceProxy.Rules;
using ServiceProxy.VirtualIps;

// ipvsd-sync-parts SERVICES-DIR: what ipvsd's syncs are made of, each part timed alone in this namespace, with the
// pieces ipvsd's reconciler calls (ServiceProxy's public API): reading the model files; then a first sync of an empty
// kernel (list, plan, apply to IPVS, bind the virtual IPs, read and install the nftables rules); then a full resync
// that changes nothing (list, plan, bind, read the rules and compare). What ipvsd's own sync takes beyond the sum is
// the reconciler's bookkeeping. Also the live heap holding the model, and holding a listed kernel table.
// A diagnostic beside tools/bench/ipvsd/run (--parts), not one of its figures.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: ipvsd-sync-parts SERVICES-DIR");
    return 2;
}
var parts = new List<string>();
void Part(string name, long start) =>
    parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name}_ms={Stopwatch.GetElapsedTime(start).TotalMilliseconds:F0}"));
long heapBefore = GC.GetTotalMemory(forceFullCollection: true);

long t = Stopwatch.GetTimestamp();
List<ModelSource> sources = [.. Directory.EnumerateFiles(args[0], "*.yaml").Order(StringComparer.Ordinal).Select(f => new ModelSource(f, File.ReadAllText(f)))];
Part("read", t);
t = Stopwatch.GetTimestamp();
var model = new ServiceModelFiles();
ModelFilesUpdate update = model.Update(sources);
Part("model", t);
if (!update.IsValid)
{
    Console.Error.WriteLine(string.Join('\n', update.Diagnostics));
    return 1;
}
sources.Clear();
DesiredServiceTable desired = model.ToTable();
long modelLive = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;

// What the reconciler derives from the desired table: the addresses to bind and the rules' virtual IPs.
List<IPAddress> addresses = [.. desired.Services.Select(s => s.Service.Key.Address!).Distinct()];
ServiceRuleSet rules = new ServiceRuleSet
{
    VirtualIps = [.. desired.Services.Select(s => new VirtualIp(s.Service.Key.Address!, ServiceProtocol.Tcp, s.Service.Key.Port))],
}.Normalize();

using IpvsClient ipvs = IpvsClient.Open();
using RouteClient route = RouteClient.Open();
using IServiceRulesBackend backend = ServiceRulesBackend.Create(ServiceRulesBackendKind.Nftables);
var binder = new VirtualIpBinder(route, "ipvsd0");

foreach (string sync in new[] { "first", "noop" })
{
    t = Stopwatch.GetTimestamp();
    IReadOnlyList<IpvsServiceEntry> table = ipvs.GetTable();
    Part($"{sync}_list", t);
    t = Stopwatch.GetTimestamp();
    ServiceTablePlan plan = ServiceTablePlanner.Plan(table, null, desired);
    Part($"{sync}_plan", t);
    if (sync == "first")
    {
        t = Stopwatch.GetTimestamp();
        // as the reconciler sends it (ReconcilerOptions.Batch): many requests per send, not one step at a time
        ServiceTableApplier.Apply(ipvs, plan, new NetlinkBatchOptions());
        Part("first_apply", t);
    }
    else if (!plan.IsEmpty)
    {
        Console.Error.WriteLine($"the resync planned {plan.Changes.Count} changes, expected none");
        return 1;
    }
    t = Stopwatch.GetTimestamp();
    VirtualIpChanges bound = binder.Bind(addresses);
    Part($"{sync}_addresses", t);
    t = Stopwatch.GetTimestamp();
    bool same = rules.Equals(backend.Read());
    if (!same)
    {
        backend.Apply(rules);
    }
    Part($"{sync}_rules", t);
    if (sync == "noop")
    {
        long tableLive = GC.GetTotalMemory(forceFullCollection: true) - heapBefore - modelLive;
        GC.KeepAlive(table);
        if (!bound.IsEmpty || !same)
        {
            Console.Error.WriteLine("the resync changed addresses or rules, expected neither");
            return 1;
        }
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"model_live_mb={modelLive / 1048576.0:F1} table_live_mb={tableLive / 1048576.0:F1}"));
    }
}
string rss = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
parts.Add(string.Create(CultureInfo.InvariantCulture, $"rss_mb={long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0:F1}"));
GC.KeepAlive(desired);
Console.WriteLine("parts: " + string.Join(' ', parts));
return 0;
