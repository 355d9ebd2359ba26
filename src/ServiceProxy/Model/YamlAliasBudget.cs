using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using ScalarEvent = YamlDotNet.Core.Events.Scalar;

namespace ServiceProxy.Model;

/// <summary>
/// Refuses YAML whose aliases would multiply it ("billion laughs": an anchor of nine aliases of an anchor of nine
/// aliases ...), before a reader walks the aliases as copies. One pass of the parser's events, no document built:
/// each anchor's expanded size is known when it closes, and each alias adds that size to the total.
/// </summary>
internal static class YamlAliasBudget
{
    /// <summary>Aliases may add at most this many nodes beyond twice the nodes written out.</summary>
    public const long Slack = 100_000;

    /// <summary>
    /// Null when <paramref name="text"/> expands within budget (or is not YAML the parser can read: the caller's own
    /// load reports that); otherwise the problem, with where it was found.
    /// </summary>
    public static (Mark At, string Problem)? Check(string text)
    {
        if (!text.Contains('*', StringComparison.Ordinal))
        {
            return null; // no aliases: nothing to expand, and no second pass over a large file
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
                        if (!sizes.TryGetValue(alias.Value.Value, out long aliased))
                        {
                            return open.Any(o => o.Anchor == alias.Value.Value)
                                ? (alias.Start, $"the alias *{alias.Value.Value} stands inside its own anchor: a value cannot contain itself")
                                : null; // an alias of no anchor: the load says so
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

    private static void Add(Stack<(string? Anchor, long Size)> open, long size)
    {
        if (open.TryPop(out (string? Anchor, long Size) top))
        {
            open.Push((top.Anchor, top.Size + size));
        }
    }
}
