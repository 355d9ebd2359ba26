using System.Text.Json;
using k8s;
using k8s.Models;

namespace ServiceProxy.Kubernetes.Watching;

/// <summary>Reads one line of a watch, <c>{"type":"ADDED","object":{...}}</c>, with the client's own (source-generated) serializer.</summary>
internal static class WatchEventParser
{
    /// <summary>The event on the line; an ERROR event is thrown as a <see cref="KubernetesApiException"/>.</summary>
    public static WatchEvent<T> Parse<T>(string line, string kind)
    {
        using JsonDocument document = JsonDocument.Parse(line);
        JsonElement root = document.RootElement;
        string? type = root.TryGetProperty("type", out JsonElement typeElement) && typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString() : null;
        if (!root.TryGetProperty("object", out JsonElement objectElement) || objectElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"{kind} watch: an event of type {type ?? "(none)"} without an object");
        }
        string raw = objectElement.GetRawText();
        WatchEventKind eventKind;
        switch (type)
        {
            case "ADDED":
                eventKind = WatchEventKind.Added;
                break;
            case "MODIFIED":
                eventKind = WatchEventKind.Modified;
                break;
            case "DELETED":
                eventKind = WatchEventKind.Deleted;
                break;
            case "BOOKMARK":
                eventKind = WatchEventKind.Bookmark;
                break;
            case "ERROR":
                V1Status status = KubernetesJson.Deserialize<V1Status>(raw);
                throw new KubernetesApiException($"{kind} watch: ERROR event {status.Code} {status.Reason}: {status.Message}", null, status);
            default:
                throw new JsonException($"{kind} watch: unknown event type {type ?? "(none)"}");
        }
        T item = KubernetesJson.Deserialize<T>(raw) ?? throw new JsonException($"{kind} watch: a {type} event with a null object");
        return new WatchEvent<T>(eventKind, item);
    }
}
