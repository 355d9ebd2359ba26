using System.Text;
using System.Text.Json;

namespace Ipvsctl.Declarative.Output;

/// <summary>
/// Writes an <see cref="OutputNode"/> tree as indented JSON with Utf8JsonWriter (no serializer, no reflection). The
/// relaxed encoder keeps "->" and "+" readable: the output is for terminals and jq, not for embedding in HTML.
/// </summary>
internal static class JsonOutput
{
    public static void Write(TextWriter writer, OutputNode root)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Emit(json, root);
        }
        writer.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        writer.Write('\n');
    }

    private static void Emit(Utf8JsonWriter json, OutputNode node)
    {
        switch (node)
        {
            case OutputMap map:
                json.WriteStartObject();
                foreach (KeyValuePair<string, OutputNode> entry in map.Entries)
                {
                    json.WritePropertyName(entry.Key);
                    Emit(json, entry.Value);
                }
                json.WriteEndObject();
                break;
            case OutputList list:
                json.WriteStartArray();
                foreach (OutputNode item in list.Items)
                {
                    Emit(json, item);
                }
                json.WriteEndArray();
                break;
            case OutputText text:
                json.WriteStringValue(text.Value);
                break;
            case OutputNumber number:
                json.WriteNumberValue(number.Value);
                break;
        }
    }
}
