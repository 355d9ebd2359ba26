using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Ipvsctl.Declarative.Output;

/// <summary>
/// Writes an <see cref="OutputNode"/> tree as YAML through YamlDotNet's event emitter (no serializer, no
/// reflection), which quotes a string only when YAML needs it. Lists inside mappings are not indented, as
/// aschmidt75/ipvsctl's output was ("services:\n- address: ..."); an empty mapping prints "{}".
/// </summary>
internal static class YamlOutput
{
    public static void Write(TextWriter writer, OutputNode root)
    {
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Emit(emitter, root, flow: false);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
    }

    private static void Emit(IEmitter emitter, OutputNode node, bool flow)
    {
        switch (node)
        {
            case OutputMap map:
                bool empty = map.Entries.Count == 0;
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, empty || flow ? MappingStyle.Flow : MappingStyle.Block));
                foreach (KeyValuePair<string, OutputNode> entry in map.Entries)
                {
                    emitter.Emit(new Scalar(entry.Key));
                    Emit(emitter, entry.Value, flow);
                }
                emitter.Emit(new MappingEnd());
                break;
            case OutputList list:
                bool inline = flow || list.Flow || list.Items.Count == 0;
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, inline ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (OutputNode item in list.Items)
                {
                    Emit(emitter, item, inline);
                }
                emitter.Emit(new SequenceEnd());
                break;
            case OutputText text:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text.Value, ScalarStyle.Any, true, true));
                break;
            case OutputNumber number:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, number.Value.ToString(CultureInfo.InvariantCulture), ScalarStyle.Plain, true, false));
                break;
        }
    }
}
