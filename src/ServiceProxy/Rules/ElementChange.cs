namespace ServiceProxy.Rules;

/// <summary>The items one list of a <see cref="ServiceRuleSet"/> gains and loses in a <see cref="ServiceRuleChange"/>.</summary>
/// <typeparam name="T">The item: a virtual IP, node port, address or allowed source.</typeparam>
/// <param name="Added">Items in the new set and not in the old one, in <see cref="RuleOrder"/>.</param>
/// <param name="Removed">Items in the old set and not in the new one, in <see cref="RuleOrder"/>.</param>
public sealed record ElementChange<T>(IReadOnlyList<T> Added, IReadOnlyList<T> Removed)
{
    /// <summary>Whether the list is the same in both sets.</summary>
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0;

    internal static ElementChange<T> Between(IReadOnlyList<T> from, IReadOnlyList<T> to)
    {
        var old = from.ToHashSet();
        var next = to.ToHashSet();
        return new([.. to.Where(i => !old.Contains(i))], [.. from.Where(i => !next.Contains(i))]);
    }
}
