using Netlink.Netfilter.NfTables.Expressions;
using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Codec;

/// <summary>Writes NFTA_RULE_EXPRESSIONS and reads it back, keeping whatever it does not model as <see cref="OpaqueExpression"/>.</summary>
internal static class ExpressionCodec
{
    public static void Write(NetlinkWriter writer, IReadOnlyList<Expression> expressions)
    {
        NetlinkNestToken list = writer.BeginNested(NFTA_RULE_EXPRESSIONS);
        foreach (Expression expression in expressions)
        {
            NetlinkNestToken element = writer.BeginNested(NFTA_LIST_ELEM);
            writer.WriteString(NFTA_EXPR_NAME, expression.Name);
            expression.WriteDataAttribute(writer);
            writer.EndNested(element);
        }
        writer.EndNested(list);
    }

    public static List<Expression> Read(NetlinkAttribute list)
    {
        var expressions = new List<Expression>();
        foreach (NetlinkAttribute element in list.GetNested())
        {
            if (element.Type != NFTA_LIST_ELEM)
            {
                throw new NetlinkProtocolException($"attribute {element.Type} in a rule's expression list, expected NFTA_LIST_ELEM");
            }
            string? name = null;
            ReadOnlySpan<byte> data = default;
            foreach (NetlinkAttribute a in element.GetNested())
            {
                if (a.Type == NFTA_EXPR_NAME)
                {
                    name = a.GetString();
                }
                else if (a.Type == NFTA_EXPR_DATA)
                {
                    data = a.Payload;
                }
            }
            if (name is null)
            {
                throw new NetlinkProtocolException("expression without NFTA_EXPR_NAME");
            }
            expressions.Add(Decode(name, data));
        }
        return expressions;
    }

    public static Expression Decode(string name, ReadOnlySpan<byte> data)
    {
        Expression? known = name switch
        {
            "meta" => MetaExpression.Decode(data),
            "payload" => PayloadExpression.Decode(data),
            "cmp" => CmpExpression.Decode(data),
            "bitwise" => BitwiseExpression.Decode(data),
            "immediate" => ImmediateExpression.Decode(data),
            "lookup" => LookupExpression.Decode(data),
            "counter" => CounterExpression.Decode(data),
            "ct" => CtExpression.Decode(data),
            "nat" => NatExpression.Decode(data),
            "masq" => MasqExpression.Decode(data),
            "redir" => RedirExpression.Decode(data),
            "numgen" => NumgenExpression.Decode(data),
            "log" => LogExpression.Decode(data),
            "limit" => LimitExpression.Decode(data),
            "reject" => RejectExpression.Decode(data),
            "fib" => FibExpression.Decode(data),
            "byteorder" => ByteorderExpression.Decode(data),
            _ => null,
        };
        return known ?? new OpaqueExpression(name, data.ToArray());
    }
}
