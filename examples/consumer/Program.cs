// A program that uses the libraries the way any other project would: through their NuGet packages.
// Everything here needs no privilege. Prints one line per check, then "N passed, N failed"; exits 1 on a failure.
using System.Net;
using Netlink;
using Netlink.Generic;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;
using Netlink.Netfilter.NfTables;
using Netlink.Route;
using Netlink.Testing;
using ServiceProxy.Model;
using ServiceProxy.Planning;

int passed = 0, failed = 0;

Check("generic netlink resolves its own controller family, nlctrl", () =>
{
    using NetlinkConnection connection = NetlinkConnection.Open(NetlinkProtocol.Generic);
    GenericNetlinkFamily family = new GenericNetlinkResolver(connection).Resolve("nlctrl");
    return family.Id == GenericNetlinkResolver.ControllerId;
});

Check("RouteClient lists this namespace's links and finds lo", () =>
{
    using RouteClient route = RouteClient.Open();
    Link? lo = route.ListLinks().FirstOrDefault(link => link.Name == "lo");
    return lo is { Index: > 0 };
});

Check("an IPVS service encoded by IpvsRequestWriter decodes to the same settings", () =>
{
    var key = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80);
    var service = new VirtualService(key) { Scheduler = "wrr", PersistenceTimeout = 300 };
    using var buffer = new NetlinkBuffer();
    IpvsRequestWriter.WriteService(buffer, familyId: 42, service, update: false);
    var reader = new NetlinkMessageReader(buffer.WrittenSpan);
    if (!reader.TryRead(out NetlinkMessage message) || message.Type != 42)
    {
        return false;
    }
    // Equality is "same settings": the PERSISTENT flag and the default netmask the writer adds do not count.
    ObservedVirtualService decoded = IpvsReplyParser.ParseServiceMessage(message);
    return decoded.Settings == service && decoded.ReportedFlags.HasFlag(ServiceFlags.Persistent);
});

Check("an nf_tables transaction encodes a table and a chain as two operations", () =>
{
    using var tx = new Transaction();
    tx.AddTable(new Table(TableFamily.IPv4, "consumer")).AddChain(new Chain(TableFamily.IPv4, "consumer", "web"));
    return tx.Count == 2 && tx.Length > 0;
});

Check("a model parsed by ServiceProxy is planned and applied to Netlink.Testing's fake IPVS kernel, then plans nothing", () =>
{
    const string yaml = """
        services:
          - address: tcp://198.18.0.1:80
            sched: wrr
            destinations:
              - { address: 198.19.0.1:8080, weight: 3, forward: nat }
              - { address: 198.19.0.2:8080, weight: 1, forward: nat }
        """;
    DesiredServiceTable desired = ServiceModel.Parse(yaml, "consumer.yaml").GetTableOrThrow();
    var kernel = new FakeIpvsKernel();
    using IpvsClient ipvs = kernel.OpenClient();
    ServiceTablePlan plan = ServiceTablePlanner.Plan(ipvs, desired);
    ServiceTableApplier.Apply(ipvs, plan);
    return plan.Changes.Count == 3 && kernel.RealServerCount == 2 && ServiceTablePlanner.Plan(ipvs, desired).IsEmpty;
});

Check("a bad model is refused with the file, line and column of the value", () =>
{
    ModelResult result = ServiceModel.Parse("services:\n  - address: tcp://198.18.0.1:70000\n", "bad.yaml");
    return !result.IsValid && result.Diagnostics is [{ Kind: ModelDiagnosticKind.Invalid, Source: "bad.yaml", Line: 2, Column: > 0 }];
});

Console.WriteLine($"{passed} passed, {failed} failed");
return failed == 0 ? 0 : 1;

void Check(string name, Func<bool> check)
{
    string? error = null;
    bool ok;
    try
    {
        ok = check();
    }
    catch (Exception e)   // any exception fails its check, and says why
    {
        ok = false;
        error = e.Message;
    }
    Console.WriteLine($"{(ok ? "ok    " : "FAILED")} consumer: {name}{(error is null ? "" : $": {error}")}");
    if (ok)
    {
        passed++;
    }
    else
    {
        failed++;
    }
}
