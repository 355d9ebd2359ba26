using System.Diagnostics.CodeAnalysis;
using ServiceProxy.Planning;

namespace ServiceProxy.Model;

/// <summary>What <see cref="ServiceModel.Parse"/> made of a model: the table, or why there is none.</summary>
/// <param name="Table">The desired table; null when there are diagnostics.</param>
/// <param name="Diagnostics">Every problem of the first stage that found any; empty when the model is valid.</param>
public sealed record ModelResult(DesiredServiceTable? Table, IReadOnlyList<ModelDiagnostic> Diagnostics)
{
    /// <summary>Whether the model is valid (and <see cref="Table"/> set).</summary>
    [MemberNotNullWhen(true, nameof(Table))]
    public bool IsValid => Table is not null && Diagnostics.Count == 0;

    /// <summary>The table; throws <see cref="ModelException"/> with the diagnostics when the model is not valid.</summary>
    public DesiredServiceTable GetTableOrThrow() => IsValid ? Table : throw new ModelException(Diagnostics);
}
