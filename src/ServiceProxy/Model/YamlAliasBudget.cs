using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using ScalarEvent = YamlDotNet.Core.Events.Scalar;

namespace ServiceProxy.Model;

/// <summary>
/// Refuses YAML that would make a reader's work explode, before YamlDotNet builds its document: aliases that multiply
/// it ("billion laughs": an anchor of nine aliases of an anchor of nine aliases ...), an alias of an anchor not yet
/// complete (itself, or one further on: the document would contain itself), and nesting deeper than any model needs
/// (the document loader recurses once per level, and 200,000 brackets overflow the stack, which no catch survives).
/// One pass of the parser's events, which keeps its own stack: each anchor's expanded size is known when it closes,
/// and each alias adds that size to the total.
/// </summary>
internal static class YamlAliasBudget
{
    /// <summary>Aliases may add at most this many nodes beyond twice the nodes written out.</summary>
    public const long Slack = 100_000;

    /// <summary>The deepest nesting of sequences and mappings accepted (a model needs five levels).</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Null when <paramref name="text"/> expands within budget (or is not YAML the parser can read: the caller's own
    /// load reports that); otherwise the problem, with where it was found.
    /// </summary>
    public static (Mark At, string Problem)? Check(string text)
    {
        if (CannotExplode(text))
        {
            return null; // no aliases and no deep nesting: no second pass over a large model
        }
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var open = new Stack<(string? Anchor, long Size)>();
        long written = 0, expanded = 0;
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case ScalarEvent scalar:
                        written++;
                        expanded++;
                        Add(open, 1);
                        if (!scalar.Anchor.IsEmpty)
                        {
                            sizes[scalar.Anchor.Value] = 1;
                        }
                        break;
                    case NodeEvent { } start and (SequenceStart or MappingStart):
                        written++;
                        expanded++;
                        if (open.Count == MaxDepth)
                        {
                            return (start.Start, $"it nests lists and mappings more than {MaxDepth} deep: no model needs that many levels");
                        }
                        open.Push((start.Anchor.IsEmpty ? null : start.Anchor.Value, 1));
                        break;
                    case SequenceEnd or MappingEnd when open.Count > 0:
                        (string? anchor, long size) = open.Pop();
                        if (anchor is not null)
                        {
                            sizes[anchor] = size;
                        }
                        Add(open, size);
                        break;
                    case AnchorAlias alias:
                        if (open.Any(o => o.Anchor == alias.Value.Value))
                        {
                            return (alias.Start, $"the alias *{alias.Value.Value} stands inside its own anchor: a value cannot contain itself");
                        }
                        if (!sizes.TryGetValue(alias.Value.Value, out long aliased))
                        {
                            // YamlDotNet would resolve it to an anchor further on, which may contain this alias
                            return (alias.Start, $"the alias *{alias.Value.Value} comes before its anchor &{alias.Value.Value}: define a value before aliasing it");
                        }
                        expanded += aliased;
                        Add(open, aliased);
                        if (expanded > (2 * written) + Slack)
                        {
                            return (alias.Start, $"its aliases expand it past {(2 * written) + Slack} YAML nodes (a \"billion laughs\" file): write repeated values out, or alias fewer times");
                        }
                        break;
                }
            }
        }
        catch (Exception e) when (e is YamlException || IsParserFailure(e))
        {
            return null; // the load reports the syntax error where it is
        }
        return null;
    }

    /// <summary>
    /// Whether <paramref name="e"/> is how YamlDotNet 18 fails on some malformed text besides YamlException (found by
    /// fuzzing: InvalidOperationException from its scanner, ArgumentException from its node loader): syntax errors to
    /// report, not crashes.
    /// </summary>
    public static bool IsParserFailure(Exception e) => e is InvalidOperationException or ArgumentException;

    /// <summary>
    /// Whether <paramref name="text"/> has no alias and cannot nest deeper than <see cref="MaxDepth"/>: a block level
    /// needs more indentation or a dash on the line, a flow level a bracket, so their sum over a line bounds its depth
    /// (brackets inside quotes only overestimate it). One pass over the characters, a few milliseconds for 10,000 services.
    /// </summary>
    private static bool CannotExplode(string text)
    {
        if (text.Contains('*', StringComparison.Ordinal))
        {
            return false;
        }
        int flow = 0, indent = 0, dashes = 0, deepest = 0;
        bool lineStart = true;
        foreach (char c in text)
        {
            switch (c)
            {
                case '\n':
                    lineStart = true;
                    indent = 0;
                    dashes = 0;
                    break;
                case ' ' when lineStart:
                    indent++;
                    break;
                case '-':
                    dashes++;
                    lineStart = false;
                    break;
                case '[' or '{':
                    flow++;
                    lineStart = false;
                    break;
                case ']' or '}':
                    flow = Math.Max(0, flow - 1);
                    lineStart = false;
                    break;
                default:
                    lineStart = false;
                    break;
            }
            deepest = Math.Max(deepest, indent + (2 * dashes) + flow);
        }
        return deepest + 2 <= MaxDepth;
    }

    private static void Add(Stack<(string? Anchor, long Size)> open, long size)
    {
        if (open.TryPop(out (string? Anchor, long Size) top))
        {
            open.Push((top.Anchor, top.Size + size));
        }
    }
}
