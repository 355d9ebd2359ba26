using System.Text.Json;

namespace KubernetesTestServer;

/// <summary>
/// Reads objects from the <c>*.json</c> files of a folder (in name order): a Service, EndpointSlice or Node, a typed
/// list of them (<c>ServiceList</c>, ...) or a <c>List</c> of any of them, each item read with the client's serializer.
/// </summary>
internal static class ObjectFiles
{
    public static int Load(string directory, TestApiServer server)
    {
        int count = 0;
        foreach (string path in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            count += LoadDocument(document.RootElement, null, server, path);
        }
        return count;
    }

    private static int LoadDocument(JsonElement element, string? itemKind, TestApiServer server, string path)
    {
        string? kind = element.TryGetProperty("kind", out JsonElement k) ? k.GetString() : itemKind;
        if (kind is null)
        {
            throw new FormatException($"{path}: an object without kind");
        }
        if (kind.EndsWith("List", StringComparison.Ordinal))
        {
            string? inner = kind == "List" ? null : kind[..^"List".Length];
            int count = 0;
            if (element.TryGetProperty("items", out JsonElement items))
            {
                foreach (JsonElement item in items.EnumerateArray())
                {
                    count += LoadDocument(item, inner, server, path);
                }
            }
            return count;
        }
        if (!server.TryStore(kind, out IResourceStore store))
        {
            throw new FormatException($"{path}: kind {kind} is not served (Service, EndpointSlice, Node)");
        }
        store.ApplyDocument(element.GetRawText());
        return 1;
    }
}
