using System.Text;
using ServiceProxy.Kubernetes.Health;
using ServiceProxy.Kubernetes.Translation;

namespace Netlink.Tests.Kubernetes.Health;

/// <summary>The health check node port's answer, byte for byte as kube-proxy's service_health.go writes it.</summary>
public sealed class HealthCheckResponseTests
{
    private static readonly ServiceName Web = new("shop", "web");

    [Fact]
    public void Body_IsKubeProxysTabIndentedJson_WithoutAFinalNewline()
    {
        Assert.Equal(
            "{\n\t\"service\": {\n\t\t\"namespace\": \"shop\",\n\t\t\"name\": \"web\"\n\t},\n\t\"localEndpoints\": 2,\n\t\"serviceProxyHealthy\": true\n}",
            Encoding.UTF8.GetString(HealthCheckResponse.Body(Web, 2, proxyHealthy: true)));
    }

    [Theory]
    [InlineData(1, true, 200)]
    [InlineData(3, true, 200)]
    [InlineData(0, true, 503)]
    [InlineData(2, false, 503)]
    [InlineData(0, false, 503)]
    public void Status_Is200OnlyWithLocalEndpointsAndAHealthyProxy(int localEndpoints, bool proxyHealthy, int status)
    {
        Assert.Equal(status, HealthCheckResponse.Status(localEndpoints, proxyHealthy));
    }

    [Fact]
    public void Build_GivesTheStatusLine_KubeProxysHeaders_AndTheBody()
    {
        var now = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        string response = Encoding.UTF8.GetString(HealthCheckResponse.Build(Web, 0, proxyHealthy: true, headOnly: false, now));
        string body = Encoding.UTF8.GetString(HealthCheckResponse.Body(Web, 0, proxyHealthy: true));

        Assert.Equal(
            "HTTP/1.1 503 Service Unavailable\r\n" +
            "Content-Type: application/json\r\n" +
            "X-Content-Type-Options: nosniff\r\n" +
            "X-Load-Balancing-Endpoint-Weight: 0\r\n" +
            "Date: Tue, 04 Mar 2025 05:06:07 GMT\r\n" +
            $"Content-Length: {body.Length}\r\n" +
            "Connection: close\r\n\r\n" + body,
            response);
    }

    [Fact]
    public void Build_ForAHeadRequest_IsTheHeadAlone()
    {
        string response = Encoding.UTF8.GetString(HealthCheckResponse.Build(Web, 4, proxyHealthy: true, headOnly: true, DateTimeOffset.UnixEpoch));

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Load-Balancing-Endpoint-Weight: 4\r\n", response, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", response, StringComparison.Ordinal);
    }
}
