using System.Text;
using System.Text.Json;

namespace KubernetesTestServer;

/// <summary>
/// A <c>Status</c> object as the real server sends it with an error. Written by hand: the client's V1Status converter
/// reads but cannot write.
/// </summary>
internal static class StatusJson
{
    public static string Failure(int code, string reason, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "Status");
            writer.WriteString("apiVersion", "v1");
            writer.WriteStartObject("metadata");
            writer.WriteEndObject();
            writer.WriteString("status", "Failure");
            writer.WriteString("message", message);
            writer.WriteString("reason", reason);
            writer.WriteNumber("code", code);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
