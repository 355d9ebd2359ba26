using Netlink.Tests.ServiceProxy.Model;
using ServiceProxy.Planning;
using System.Net;
using System.Net.Sockets;
using Ipvsctl.Declarative.Output;
using Netlink.Ipvs;
using static Netlink.Tests.ServiceProxy.Planning.TableBuilder;

namespace Netlink.Tests.Ipvsctl.Declarative;

/// <summary>What get and changeset print, byte for byte, in YAML and JSON.</summary>
public sealed class OutputGoldenTests
{
    private static IpvsServiceEntry[] KernelTable => [.. Table.Select(AsKernelHasIt)];

    private static readonly DesiredService[] Table =
    [
        // Listed out of order on purpose: get sorts (IPv4 before IPv6 before marks).
        Entry(new VirtualService(VirtualServiceKey.ForFirewallMark(7, AddressFamily.InterNetworkV6)) { Scheduler = "sh", Flags = ServiceFlags.SourceHashPort | ServiceFlags.Hashed }),
        Entry(new VirtualService(VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("2001:db8::1"), 53)) { Scheduler = "rr", PersistenceTimeout = 300, Netmask = PersistenceNetmask.FromIpv6PrefixLength(64), Flags = ServiceFlags.Persistent, PersistenceEngine = "sip" },
            new RealServer(IPAddress.Parse("2001:db8::2"), 53) { Weight = 1, Forwarding = ForwardingMethod.Masquerade }),
        Entry(Service(Tcp("198.18.0.1", 80), "wrr"),
            Server("198.19.0.2", 8080, 0) with { UpperThreshold = 100, LowerThreshold = 50 },
            Server("198.19.0.1", 8080, 3, ForwardingMethod.Tunnel) with { TunnelType = TunnelType.Gue, TunnelPort = 6080, TunnelFlags = TunnelFlags.Checksum }),
    ];

    private static string Yaml(OutputNode node)
    {
        var text = new StringWriter { NewLine = "\n" };
        YamlOutput.Write(text, node);
        return text.ToString();
    }

    private static string Json(OutputNode node)
    {
        var text = new StringWriter { NewLine = "\n" };
        JsonOutput.Write(text, node);
        return text.ToString();
    }

    [Fact]
    public void Get_Yaml()
    {
        Assert.Equal("""
            services:
            - address: tcp://198.18.0.1:80
              sched: wrr
              destinations:
              - address: 198.19.0.1:8080
                weight: 3
                forward: tunnel
                tunnel-type: gue
                tunnel-port: 6080
                tunnel-checksum: csum
              - address: 198.19.0.2:8080
                weight: 0
                forward: nat
                upper-threshold: 100
                lower-threshold: 50
            - address: udp://[2001:db8::1]:53
              sched: rr
              persistent: 300
              netmask: 64
              pe: sip
              destinations:
              - address: '[2001:db8::2]:53'
                weight: 1
                forward: nat
            - address: fwmark:7
              family: ipv6
              sched: sh
              flags: [sh-port]

            """.Replace("\r", "", StringComparison.Ordinal), Yaml(TableView.Of(KernelTable)));
    }

    [Fact]
    public void Get_Json()
    {
        Assert.Equal("""
            {
              "services": [
                {
                  "address": "tcp://198.18.0.1:80",
                  "sched": "wrr",
                  "destinations": [
                    {
                      "address": "198.19.0.1:8080",
                      "weight": 3,
                      "forward": "tunnel",
                      "tunnel-type": "gue",
                      "tunnel-port": 6080,
                      "tunnel-checksum": "csum"
                    },
                    {
                      "address": "198.19.0.2:8080",
                      "weight": 0,
                      "forward": "nat",
                      "upper-threshold": 100,
                      "lower-threshold": 50
                    }
                  ]
                },
                {
                  "address": "udp://[2001:db8::1]:53",
                  "sched": "rr",
                  "persistent": 300,
                  "netmask": 64,
                  "pe": "sip",
                  "destinations": [
                    {
                      "address": "[2001:db8::2]:53",
                      "weight": 1,
                      "forward": "nat"
                    }
                  ]
                },
                {
                  "address": "fwmark:7",
                  "family": "ipv6",
                  "sched": "sh",
                  "flags": [
                    "sh-port"
                  ]
                }
              ]
            }

            """.Replace("\r", "", StringComparison.Ordinal), Json(TableView.Of(KernelTable)));
    }

    [Fact]
    public void EmptyTable_And_EmptyChangeset_PrintBraces()
    {
        Assert.Equal("{}\n", Yaml(TableView.Of([])));
        Assert.Equal("{}\n", Json(TableView.Of([])));
        Assert.Equal("{}\n", Yaml(ChangesetView.Of(new ServiceTablePlan([]))));
        Assert.Equal("{}\n", Json(ChangesetView.Of(new ServiceTablePlan([]))));
    }

    [Fact]
    public void Get_OfAModel_ValidatesBackToTheSameTable()
    {
        string yaml = Yaml(TableView.Of(KernelTable));
        DesiredServiceTable reread = ModelText.Load(yaml);
        IReadOnlyList<IpvsServiceEntry> kernelView = Table.Select(AsKernelHasIt).ToList();
        Assert.True(ServiceTablePlanner.Plan(kernelView, null, reread).IsEmpty);
    }

    private static ServiceTablePlan SamplePlan()
    {
        VirtualServiceKey web = Tcp("198.18.0.1", 80);
        DesiredService[] current = [Entry(Service(web, "rr"), Server("198.19.0.1", 8080, 1), Server("198.19.0.9", 8080)), Entry(Service(Tcp("198.18.0.9", 80)))];
        var desired = new DesiredServiceTable(
            [Entry(Service(web, "wrr"), Server("198.19.0.1", 8080, 2), Server("198.19.0.2", 8080, 1)), Entry(Service(Tcp("198.18.0.2", 443)))],
            new IpvsTimeouts(1800, 0, 0));
        return ServiceTablePlanner.Plan([.. current.Select(AsKernelHasIt)], new IpvsTimeouts(900, 120, 300), desired);
    }

    [Fact]
    public void Changeset_Yaml()
    {
        Assert.Equal("""
            items:
            - type: update-service
              description: 'update service tcp://198.18.0.1:80: scheduler rr -> wrr'
              service:
                address: tcp://198.18.0.1:80
                sched: wrr
            - type: add-service
              description: 'add service tcp://198.18.0.2:443: not in the IPVS table'
              service:
                address: tcp://198.18.0.2:443
                sched: rr
            - type: update-destination
              description: 'update destination 198.19.0.1:8080 of service tcp://198.18.0.1:80: weight 1 -> 2'
              service:
                address: tcp://198.18.0.1:80
              destination:
                address: 198.19.0.1:8080
                weight: 2
                forward: nat
            - type: add-destination
              description: 'add destination 198.19.0.2:8080 to service tcp://198.18.0.1:80: not in the IPVS table'
              service:
                address: tcp://198.18.0.1:80
              destination:
                address: 198.19.0.2:8080
                weight: 1
                forward: nat
            - type: delete-destination
              description: 'delete destination 198.19.0.9:8080 from service tcp://198.18.0.1:80: not in the model'
              service:
                address: tcp://198.18.0.1:80
              destination:
                address: 198.19.0.9:8080
                weight: 1
                forward: nat
            - type: delete-service
              description: 'delete service tcp://198.18.0.9:80: not in the model'
              service:
                address: tcp://198.18.0.9:80
                sched: rr
            - type: update-timeouts
              description: set timeouts tcp 900 -> 1800
              timeouts:
                tcp: 1800

            """.Replace("\r", "", StringComparison.Ordinal), Yaml(ChangesetView.Of(SamplePlan())));
    }

    [Fact]
    public void Changeset_Json_SameItems()
    {
        string json = Json(ChangesetView.Of(SamplePlan()));
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var items = document.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(
            ["update-service", "add-service", "update-destination", "add-destination", "delete-destination", "delete-service", "update-timeouts"],
            items.Select(i => i.GetProperty("type").GetString()));
        Assert.Equal("update destination 198.19.0.1:8080 of service tcp://198.18.0.1:80: weight 1 -> 2", items[2].GetProperty("description").GetString());
        Assert.Equal(2, items[2].GetProperty("destination").GetProperty("weight").GetInt32());
        Assert.Equal(1800, items[6].GetProperty("timeouts").GetProperty("tcp").GetInt32());
        Assert.Contains("\"description\": \"update service tcp://198.18.0.1:80: scheduler rr -> wrr\"", json, StringComparison.Ordinal);
    }
}
