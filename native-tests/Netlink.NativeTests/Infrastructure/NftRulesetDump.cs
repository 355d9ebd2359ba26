using System.Text.Json;
using System.Text.Json.Nodes;

namespace Netlink.NativeTests.Infrastructure;

/// <summary>`nft -j list ruleset` in a namespace, without handles and the metainfo header, which differ between two equal builds.</summary>
public static class NftRulesetDump
{
    public static string Of(TestNamespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        JsonNode root = JsonNode.Parse(ns.Exec("nft", "-j", "list", "ruleset"))!;
        var items = new JsonArray();
        foreach (JsonNode? item in root["nftables"]!.AsArray())
        {
            if (item is JsonObject o && !o.ContainsKey("metainfo"))
            {
                items.Add(WithoutHandles(item.DeepClone()));
            }
        }
        return items.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonNode WithoutHandles(JsonNode node)
    {
        if (node is JsonObject o)
        {
            o.Remove("handle");
            foreach (KeyValuePair<string, JsonNode?> child in o.ToList())
            {
                if (child.Value is not null)
                {
                    WithoutHandles(child.Value);
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (JsonNode? child in a)
            {
                if (child is not null)
                {
                    WithoutHandles(child);
                }
            }
        }
        return node;
    }
}
