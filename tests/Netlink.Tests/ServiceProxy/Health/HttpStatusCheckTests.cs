using System.Net;
using System.Text;
using Netlink.Ipvs;
using ServiceProxy.Health;

namespace Netlink.Tests.ServiceProxy.Health;

/// <summary>The HTTP check's request bytes and status-line reading, without a network (the native tests have one).</summary>
public sealed class HttpStatusCheckTests
{
    private static readonly VirtualServiceKey Web = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80);

    private static HealthCheck Http(string path = "/healthz", ushort? port = null) => new() { Type = HealthCheckType.Http, Path = path, Port = port };

    [Fact]
    public void Request_IsAGetOnItsOwnConnection_WithTheProbedAddressAndPortAsHost()
    {
        var target = new HealthTarget(Web, IPAddress.Parse("198.18.1.2"), 80, Http(port: 8081));

        Assert.Equal(
            "GET /healthz HTTP/1.1\r\nHost: 198.18.1.2:8081\r\nConnection: close\r\nUser-Agent: ServiceProxy-health-check\r\nAccept: */*\r\n\r\n",
            Encoding.ASCII.GetString(HttpStatusCheck.Request(target)));
    }

    [Fact]
    public void Request_ToAnIpv6Server_PutsTheAddressInBrackets()
    {
        var target = new HealthTarget(Web, IPAddress.Parse("2001:db8::2"), 8080, Http("/"));

        Assert.Contains("\r\nHost: [2001:db8::2]:8080\r\n", Encoding.ASCII.GetString(HttpStatusCheck.Request(target)), StringComparison.Ordinal);
        Assert.Equal("GET http://[2001:db8::2]:8080/", HttpStatusCheck.Step(target));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK", 200)]
    [InlineData("HTTP/1.0 503 Service Unavailable", 503)]
    [InlineData("HTTP/1.1 204", 204)]
    [InlineData("HTTP/2 404 Not Found", 404)]
    public void TryParseStatus_ReadsTheStatusOfAStatusLine(string line, int status)
    {
        Assert.True(HttpStatusCheck.TryParseStatus(Encoding.ASCII.GetBytes(line), out int parsed));
        Assert.Equal(status, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SSH-2.0-OpenSSH_9.2")]
    [InlineData("HTTP/1.1")]
    [InlineData("HTTP/1.1 20")]
    [InlineData("HTTP/1.1 2000 OK")]
    [InlineData("HTTP/1.1 2x0 OK")]
    [InlineData("HTTP/1.1 099 Too low")]
    [InlineData("http/1.1 200 OK")]
    public void TryParseStatus_RefusesWhatIsNotAStatusLine(string line)
    {
        Assert.False(HttpStatusCheck.TryParseStatus(Encoding.ASCII.GetBytes(line), out _));
    }

    [Theory]
    [InlineData("/", null)]
    [InlineData("/healthz?full=1", null)]
    [InlineData("healthz", "does not start with '/'")]
    [InlineData("/health z", "percent-encode it")]
    [InlineData("/health\r\nX: y", "percent-encode it")]
    [InlineData("/gesundheit\u00e4", "percent-encode it")]
    public void PathProblem_AcceptsOnlyWhatCanGoInARequestLineAsItIs(string path, string? problem)
    {
        string? found = HttpStatusCheck.PathProblem(path);
        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }
}
