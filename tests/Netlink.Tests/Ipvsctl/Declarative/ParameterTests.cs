using Netlink.Tests.ServiceProxy.Model;
using ServiceProxy.Planning;
using System.Net;
using Ipvsctl.Declarative;
using Ipvsctl.Declarative.Parameters;
using ServiceProxy.Model;

namespace Netlink.Tests.Ipvsctl.Declarative;

/// <summary>Dynamic parameters: sources, order, nesting, and the exit status of each failure.</summary>
public sealed class ParameterTests
{
    private static readonly DeclarativeEnvironment Machine = new()
    {
        EnvironmentVariables = () => [new("MYPORT", "8080"), new("STAGE", "test")],
        NetworkInterfaces = () => [("lo", [IPAddress.Loopback, IPAddress.IPv6Loopback]), ("eth0", [IPAddress.Parse("198.18.5.5"), IPAddress.Parse("fe80::1%2")])],
        ReadFile = path => path switch
        {
            "p.yaml" => "some:\n  ip: \"198.18.4.3\"\n  port: 1234\n  more:\n    second: 20\nbackends:\n  test: 198.19.1.10\nlist: [a, b]\n",
            "p.json" => """{ "some": { "ip": "198.18.9.9", "port": 1234, "more": { "first": "10" } }, "flag": true }""",
            "bad.txt" => "just: [unclosed",
            "list.yaml" => "- a\n- b\n",
            _ => throw new FileNotFoundException(path),
        },
        FetchUrl = url => url.Host == "params.test" ? "remote:\n  ip: 198.18.7.7\n" : throw new UrlFetchException("Failed to connect to unreachable.test port 80: Connection refused"),
    };

    private static ParameterSet Load(GlobalOptions options) => ParameterSources.Load(options, Machine);

    [Fact]
    public void Environment_And_Interfaces_OnlyWhenAskedFor()
    {
        ParameterSet none = Load(new GlobalOptions());
        Assert.False(none.TryGet("env.MYPORT", out _));
        Assert.False(none.TryGet("host.lo", out _));

        ParameterSet both = Load(new GlobalOptions { ParamsEnvironment = true, ParamsNetwork = true });
        Assert.Equal("tcp://198.18.5.5:8080", both.Substitute("tcp://${host.eth0}:${env.MYPORT}", 1));
        Assert.Equal("127.0.0.1", both.Substitute("${host.lo_0}", 1));
        Assert.Equal("::1", both.Substitute("${host.lo_1}", 1));
        Assert.Equal("fe80::1", both.Substitute("${host.eth0_1}", 1)); // the zone is dropped
        Assert.Empty(both.Unresolved);
    }

    [Fact]
    public void Files_YamlAndJson_FlattenToDottedKeys_FirstFoundWins()
    {
        ParameterSet set = Load(new GlobalOptions { ParamsFiles = ["p.yaml", "p.json"] });
        Assert.Equal("198.18.4.3:1234", set.Substitute("${some.ip}:${some.port}", 1)); // p.yaml is first
        Assert.Equal("10.20.1.2", set.Substitute("${some.more.first}.${some.more.second}.1.2", 1));
        Assert.Equal("b", set.Substitute("${list.1}", 1));
        Assert.Equal("true", set.Substitute("${flag}", 1));
        Assert.Empty(set.Unresolved);
    }

    [Fact]
    public void Nested_InnermostFirst()
    {
        ParameterSet set = Load(new GlobalOptions { ParamsEnvironment = true, ParamsFiles = ["p.yaml"] });
        Assert.Equal("tcp://198.19.1.10:8080", set.Substitute("tcp://${backends.${env.STAGE}}:8080", 1));
    }

    [Fact]
    public void Url_IsASource_AfterFiles()
    {
        ParameterSet set = Load(new GlobalOptions { ParamsUrls = ["http://params.test/p.yaml"] });
        Assert.Equal("198.18.7.7", set.Substitute("${remote.ip}", 1));
    }

    [Fact]
    public void Unresolved_IsRecordedWithLineAndHint_AndLeftInPlace()
    {
        var set = new ParameterSet(ParameterSources.Hint);
        Assert.Equal("tcp://${env.NOPE}:80", set.Substitute("tcp://${env.NOPE}:80", 4));
        set.Substitute("${host.eth9}", 5);
        set.Substitute("${ports.web}", 6);
        set.Substitute("${unclosed", 7);
        Assert.Equal(
        [
            "line 4: parameter ${env.NOPE} is not resolvable: set the environment variable NOPE and pass --params-env",
            "line 5: parameter ${host.eth9} is not resolvable: pass --params-network and check the interface name (host.IFACE, or host.IFACE_N for its N-th address from 0)",
            "line 6: parameter ${ports.web} is not resolvable: define key ports.web in a --params-file or --params-url document",
            "line 7: '${unclosed' opens ${ without a closing }: close it",
        ], set.Unresolved.Select(u => u.Message));
        Assert.Equal([4, 5, 6, 7], set.Unresolved.Select(u => u.Line));
    }

    [Fact]
    public void SelfReference_StopsWithAnError()
    {
        var set = new ParameterSet();
        set.Add(new Dictionary<string, string> { ["loop"] = "${loop}" });
        set.Substitute("${loop}", 3);
        Assert.Contains("a parameter refers to itself", Assert.Single(set.Unresolved).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.yaml", 51, "cannot read parameter file missing.yaml: no such file")]
    [InlineData("bad.txt", 30, "parameters from bad.txt must be a JSON object or YAML mapping")]
    [InlineData("list.yaml", 30, "parameters from list.yaml must be a JSON object or YAML mapping (it is not a mapping of keys to values)")]
    public void FileFailures(string file, int exitCode, string message)
    {
        CommandFailedException e = Assert.Throws<CommandFailedException>(() => Load(new GlobalOptions { ParamsFiles = [file] }));
        Assert.Equal(exitCode, e.ExitCode);
        Assert.StartsWith(message, Assert.Single(e.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public void UrlNetworkFailure_IsExit50()
    {
        CommandFailedException e = Assert.Throws<CommandFailedException>(() => Load(new GlobalOptions { ParamsUrls = ["http://unreachable.test/p.yaml"] }));
        Assert.Equal(50, e.ExitCode);
        Assert.Equal("cannot fetch parameters from http://unreachable.test/p.yaml: Failed to connect to unreachable.test port 80: Connection refused: check the URL and that the server answers", e.Lines[0]);
    }

    [Fact]
    public void NotAUrl_IsExit33()
    {
        CommandFailedException e = Assert.Throws<CommandFailedException>(() => Load(new GlobalOptions { ParamsUrls = ["ftp://x/p"] }));
        Assert.Equal(33, e.ExitCode);
    }

    [Theory]
    [InlineData("file:///etc/hostname")]
    [InlineData("ftp://params.test/p.yaml")]
    [InlineData("gopher://params.test/p.yaml")]
    [InlineData("params.test/p.yaml")]
    [InlineData("/etc/hostname")]
    public void OtherSchemes_AreRefusedByTheOptionParser_Exit33(string url)
    {
        CommandFailedException e = Assert.Throws<CommandFailedException>(() => GlobalOptions.Parse(["--params-url", url, "validate"], out _));
        Assert.Equal(33, e.ExitCode);
        Assert.Equal($"--params-url {url} is not an http:// or https:// URL: give the document's http(s) address, or a local file with --params-file (see: ipvsctl help)", Assert.Single(e.Lines));
    }

    [Theory]
    [InlineData("http://params.test/p.yaml")]
    [InlineData("HTTP://params.test/p.yaml")]
    [InlineData("https://params.test/p.yaml")]
    public void HttpAndHttps_InAnyCase_AreTaken(string url)
    {
        GlobalOptions options = GlobalOptions.Parse([$"--params-url={url}", "validate"], out int command);
        Assert.Equal(url, Assert.Single(options.ParamsUrls));
        Assert.Equal(1, command);
    }

    [Fact]
    public void Curl_IsHeldToHttpAndHttps_RedirectsIncluded()
    {
        IReadOnlyList<string> arguments = UrlFetcher.Arguments(new Uri("https://params.test/p.yaml"));
        int proto = arguments.ToList().IndexOf("--proto");
        int redirects = arguments.ToList().IndexOf("--proto-redir");
        Assert.True(proto >= 0 && redirects >= 0, string.Join(' ', arguments));
        Assert.Equal("=http,https", arguments[proto + 1]);
        Assert.Equal("=http,https", arguments[redirects + 1]);
        Assert.Equal(["--", "https://params.test/p.yaml"], arguments.TakeLast(2));
    }

    [Fact]
    public void ParametersWorkInEveryValue_NotOnlyAddresses()
    {
        var set = new ParameterSet();
        set.Add(new Dictionary<string, string> { ["vip"] = "198.18.0.1", ["w"] = "7", ["s"] = "wrr" });
        DesiredServiceTable table = ModelText.Load(
            "services: [ { address: 'tcp://${vip}:80', sched: '${s}', destinations: [ { address: 198.19.0.1, weight: '${w}' } ] } ]", set);
        Assert.Equal("wrr", table.Services[0].Service.Scheduler);
        Assert.Equal(7, table.Services[0].RealServers[0].Weight);
    }

    [Theory]
    [InlineData(22, "curl: (22) The requested URL returned error: 404\n", "The requested URL returned error: 404")]
    [InlineData(7, "curl: (7) Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server\n", "Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server")]
    [InlineData(28, "curl: (28) Operation timed out after 30001 milliseconds with 0 bytes received\n", "no answer within 30 s")]
    [InlineData(3, "", "curl exited 3")]
    public void CurlFailures_AreToldInCurlsWords(int exitCode, string standardError, string reason) =>
        Assert.Equal(reason, UrlFetcher.Reason(exitCode, standardError));
}
