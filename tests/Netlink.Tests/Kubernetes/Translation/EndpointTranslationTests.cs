using k8s.Models;
using ServiceProxy.Kubernetes.Translation;
using static Netlink.Tests.Kubernetes.Translation.Objects;

namespace Netlink.Tests.Kubernetes.Translation;

/// <summary>Which endpoints of which slices become real servers: conditions, duplicates, address types, ports.</summary>
public sealed class EndpointTranslationTests
{
    private static readonly V1Service Web = Service("web", ClusterIpSpec());

    private static string RealServersOf(params V1EndpointSlice[] slices)
    {
        DesiredServiceOf(Translate(Web, slices), out string rendered);
        return rendered;
    }

    private static void DesiredServiceOf(ServiceTranslation t, out string realServers) =>
        realServers = string.Join(" ", Assert.Single(t.Services).RealServers.Select(r => r.Endpoint));

    public static TheoryData<string, string, string> Conditions => new()
    {
        // what, the endpoints (10.244.1.1 with the conditions under test, 10.244.1.2 with others), real servers
        { "missing conditions mean ready", $"[{Endpoint("10.244.1.1", null)}]", "10.244.1.1:8080" },
        { "an empty conditions object means ready", $"[{Endpoint("10.244.1.1", "{}")}]", "10.244.1.1:8080" },
        { "not ready is left out", $"[{Endpoint("10.244.1.1", """{"ready":false,"serving":false,"terminating":false}""")},{Ready("10.244.1.2")}]", "10.244.1.2:8080" },
        { "serving and terminating is left out while one is ready",
            $"[{Endpoint("10.244.1.1", """{"ready":false,"serving":true,"terminating":true}""")},{Ready("10.244.1.2")}]", "10.244.1.2:8080" },
        { "serving and terminating ones serve when none is ready",
            $"[{Endpoint("10.244.1.1", """{"ready":false,"serving":true,"terminating":true}""")},{Endpoint("10.244.1.2", """{"ready":false,"serving":false,"terminating":true}""")}]",
            "10.244.1.1:8080" },
        { "terminating with serving missing counts as serving",
            $"[{Endpoint("10.244.1.1", """{"ready":false,"terminating":true}""")}]", "10.244.1.1:8080" },
        { "not ready and not terminating never serves",
            $"[{Endpoint("10.244.1.1", """{"ready":false,"serving":true,"terminating":false}""")}]", "" },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public void EndpointConditions_DecideWhichEndpointsServe(string what, string endpoints, string expected)
    {
        Assert.True(expected == RealServersOf(Slice("web-1", "web", endpoints)), what);
    }

    [Fact]
    public void OnlyTheFirstAddressOfAnEndpointIsUsed()
    {
        string endpoint = """{"addresses":["10.244.1.1","10.244.1.99"],"conditions":{"ready":true},"nodeName":"node-b"}""";

        Assert.Equal("10.244.1.1:8080", RealServersOf(Slice("web-1", "web", $"[{endpoint}]")));
    }

    [Theory]
    [InlineData("web-a", "web-b")]
    [InlineData("web-b", "web-a")]
    public void SameAddressInTwoSlices_TheNonTerminatingOneWins(string terminatingSlice, string runningSlice)
    {
        V1EndpointSlice old = Slice(terminatingSlice, "web", $"[{Endpoint("10.244.1.1", """{"ready":false,"serving":true,"terminating":true}""")},{Endpoint("10.244.1.2", """{"ready":false,"serving":true,"terminating":true}""")}]");
        V1EndpointSlice reused = Slice(runningSlice, "web", $"[{Ready("10.244.1.1")}]");

        // 10.244.1.1 is ready (the new pod's), so the terminating 10.244.1.2 does not serve
        Assert.Equal("10.244.1.1:8080", RealServersOf(old, reused));
    }

    [Fact]
    public void SlicePortWithoutNumber_IsSkippedWithAReason()
    {
        V1EndpointSlice slice = Slice("web-1", "web", $"[{Ready("10.244.1.1")}]", """[{"name":"http","protocol":"TCP"}]""");

        ServiceTranslation t = Translate(Web, slice);

        Assert.Equal("TCP 10.96.0.10:80 rr", Render(t.Services));
        Assert.Equal(["default/web: EndpointSlice web-1 port 'http' has no number: skipped"], t.Problems);
    }

    [Fact]
    public void SlicesOfOtherAddressTypes_AreNotUsed()
    {
        V1EndpointSlice v6 = Slice("web-v6", "web", $"[{Ready("fd00:10:244::5")}]", addressType: "IPv6");
        V1EndpointSlice fqdn = Slice("web-fqdn", "web", """[{"addresses":["db.example.com"],"conditions":{"ready":true}}]""", addressType: "FQDN");
        V1EndpointSlice v4 = Slice("web-v4", "web", $"[{Ready("10.244.1.5")}]");

        ServiceTranslation t = Translate(Web, v6, fqdn, v4);

        Assert.Equal("10.244.1.5:8080", string.Join(" ", Assert.Single(t.Services).RealServers.Select(r => r.Endpoint)));
        Assert.Empty(t.Problems); // an FQDN slice is nobody's mistake
    }

    [Fact]
    public void AddressesThatAreNotOfTheSlicesType_AreSkippedWithAReason()
    {
        V1EndpointSlice slice = Slice("web-1", "web", $"[{Ready("fd00::1")},{Ready("10.244.1.300")},{Ready("10.244.1.5")}]");

        ServiceTranslation t = Translate(Web, slice);

        Assert.Equal("10.244.1.5:8080", string.Join(" ", Assert.Single(t.Services).RealServers.Select(r => r.Endpoint)));
        Assert.Equal([
            "default/web: EndpointSlice web-1 endpoint address 'fd00::1' is not an IPv4 address: skipped",
            "default/web: EndpointSlice web-1 endpoint address '10.244.1.300' is not an IPv4 address: skipped",
        ], t.Problems);
    }

    [Fact]
    public void SliceOfAnotherService_IsNotUsed()
    {
        V1EndpointSlice others = Slice("api-1", "api", $"[{Ready("10.244.9.9")}]");

        ServiceTranslation t = Translate(Web, others);

        Assert.Equal("TCP 10.96.0.10:80 rr", Render(t.Services));
        Assert.Equal(["default/web: EndpointSlice default/api-1 is labelled kubernetes.io/service-name=api, not this Service: skipped"], t.Problems);
    }

    public static TheoryData<string, ProxyNode, string, string> Topology => new()
    {
        // what, node, the endpoints' hints (JSON, per endpoint 1..3, "-" for none), real servers
        { "every endpoint hinted, one for this zone: same zone only", NodeA, "zone-a|zone-b|zone-b", "10.244.1.1:8080" },
        { "one endpoint without hints: hints ignored", NodeA, "zone-a|zone-b|-", "10.244.1.1:8080 10.244.1.2:8080 10.244.1.3:8080" },
        { "no hint for this zone: hints ignored", NodeA, "zone-c|zone-b|zone-b", "10.244.1.1:8080 10.244.1.2:8080 10.244.1.3:8080" },
        { "node without a zone: hints ignored", new ProxyNode(Node, null, NodeA.NodeAddresses, NodeA.NodePortAddresses), "zone-a|zone-b|zone-b", "10.244.1.1:8080 10.244.1.2:8080 10.244.1.3:8080" },
        { "node hints on every endpoint, one for this node: that one", NodeA, "node:node-a|node:node-b|node:node-b", "10.244.1.1:8080" },
    };

    [Theory]
    [MemberData(nameof(Topology))]
    public void TopologyHints_ApplyOnlyWhenEveryReadyEndpointHasThem(string what, ProxyNode node, string hints, string expected)
    {
        string[] perEndpoint = hints.Split('|');
        string endpoints = string.Join(",", perEndpoint.Select((h, i) => Endpoint($"10.244.1.{i + 1}", """{"ready":true}""", hints: h switch
        {
            "-" => null,
            _ when h.StartsWith("node:", StringComparison.Ordinal) => $$"""{"forNodes":[{"name":"{{h[5..]}}"}],"forZones":[{"name":"zone-x"}]}""",
            _ => $$"""{"forZones":[{"name":"{{h}}"}]}""",
        })));

        ServiceTranslation t = Translate(Web, node, Options, Slice("web-1", "web", $"[{endpoints}]"));

        Assert.True(expected == string.Join(" ", Assert.Single(t.Services).RealServers.Select(r => r.Endpoint)), what);
    }

    [Fact]
    public void TopologyHints_AreJudgedOnReadyEndpointsOnly()
    {
        // every ready endpoint is hinted (the terminating one need not be), so only the zone-a one serves
        string endpoints = string.Join(",",
            Endpoint("10.244.1.1", """{"ready":true}""", hints: """{"forZones":[{"name":"zone-a"}]}"""),
            Endpoint("10.244.1.2", """{"ready":true}""", hints: """{"forZones":[{"name":"zone-b"}]}"""),
            Endpoint("10.244.1.3", """{"ready":false,"serving":true,"terminating":true}"""));

        Assert.Equal("10.244.1.1:8080", RealServersOf(Slice("web-1", "web", $"[{endpoints}]")));
    }
}
