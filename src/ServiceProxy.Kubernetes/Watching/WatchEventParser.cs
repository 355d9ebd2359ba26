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
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"{kind} watch: a line that is not a JSON object");
        }
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
                V1Status status = Deserialize<V1Status>(raw, kind);
                throw new KubernetesApiException($"{kind} watch: ERROR event {status.Code} {status.Reason}: {status.Message}", null, status);
            default:
                throw new JsonException($"{kind} watch: unknown event type {type ?? "(none)"}");
        }
        T item = Deserialize<T>(raw, kind) ?? throw new JsonException($"{kind} watch: a {type} event with a null object");
        return new WatchEvent<T>(eventKind, item);
    }

    // The client's converters throw FormatException for a field they cannot read (a timestamp that is no RFC 3339 time,
    // found by fuzzing); to the informer that is the same malformed line as bad JSON, so it is one.
    private static TItem Deserialize<TItem>(string raw, string kind)
    {
        try
        {
            return KubernetesJson.Deserialize<TItem>(raw);
        }
        catch (FormatException e)
        {
            throw new JsonException($"{kind} watch: {e.Message}", e);
        }
    }
}
