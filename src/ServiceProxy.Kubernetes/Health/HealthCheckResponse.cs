using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ServiceProxy.Kubernetes.Translation;

namespace ServiceProxy.Kubernetes.Health;

/// <summary>
/// The answer on a health check node port, byte for byte as kube-proxy's (pkg/proxy/healthcheck/service_health.go)
/// gives it, so that cloud load balancers and scripts written against kube-proxy read it the same: 200 while the
/// Service has local endpoints and the proxy is healthy, else 503; the local endpoint count also as
/// X-Load-Balancing-Endpoint-Weight (weighted load balancers read it); the JSON body indented with tabs, without a
/// final newline.
/// </summary>
internal static class HealthCheckResponse
{
    private static readonly JsonWriterOptions BodyFormat = new()
    {
        Indented = true,
        IndentCharacter = '\t',
        IndentSize = 1,
        NewLine = "\n",
    };

    /// <summary>The status kube-proxy answers with.</summary>
    public static int Status(int localEndpoints, bool proxyHealthy) => localEndpoints != 0 && proxyHealthy ? 200 : 503;

    /// <summary>The JSON body: <c>{"service":{"namespace","name"},"localEndpoints","serviceProxyHealthy"}</c>.</summary>
    public static byte[] Body(ServiceName service, int localEndpoints, bool proxyHealthy)
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var json = new Utf8JsonWriter(buffer, BodyFormat))
        {
            json.WriteStartObject();
            json.WriteStartObject("service");
            json.WriteString("namespace", service.Namespace);
            json.WriteString("name", service.Name);
            json.WriteEndObject();
            json.WriteNumber("localEndpoints", localEndpoints);
            json.WriteBoolean("serviceProxyHealthy", proxyHealthy);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The whole HTTP/1.1 response, closing the connection after it (a health checker opens one per probe); a HEAD
    /// request gets the head alone, as Go's server answers it.
    /// </summary>
    public static byte[] Build(ServiceName service, int localEndpoints, bool proxyHealthy, bool headOnly, DateTimeOffset now)
    {
        int status = Status(localEndpoints, proxyHealthy);
        byte[] body = Body(service, localEndpoints, proxyHealthy);
        string reason = status == 200 ? "OK" : "Service Unavailable";
        string head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nX-Content-Type-Options: nosniff\r\nX-Load-Balancing-Endpoint-Weight: {localEndpoints}\r\nDate: {now.UtcDateTime:R}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        byte[] headBytes = Encoding.ASCII.GetBytes(head);
        return headOnly ? headBytes : [.. headBytes, .. body];
    }
}
