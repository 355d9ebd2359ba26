using ServiceProxy.Planning;

namespace ServiceProxy.Model;

/// <summary>
/// The declarative service model (the YAML that ipvsctl apply and ipvsd take): services with their real servers,
/// defaults and timeouts, read and checked as a whole before anything touches the kernel.
/// </summary>
public static class ServiceModel
{
    /// <summary>
    /// Reads <paramref name="text"/> (from <paramref name="source"/>, named in every diagnostic), substitutes
    /// ${parameters} from <paramref name="parameters"/> when given, and validates every value. Stops after the first
    /// stage that finds problems: the YAML shape, then unresolved parameters, then the values. Touches no kernel.
    /// </summary>
    public static ModelResult Parse(string text, string source, ParameterSet? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        Func<string, int, string> substitute = parameters is null ? static (value, _) => value : parameters.Substitute;
        int unresolvedBefore = parameters?.Unresolved.Count ?? 0;
        ModelDocument? document = ModelReader.Read(text, source, substitute, out IReadOnlyList<ModelDiagnostic> syntax);
        if (document is null)
        {
            return new ModelResult(null, syntax);
        }
        if (parameters is not null && parameters.Unresolved.Count > unresolvedBefore)
        {
            return new ModelResult(null, [.. parameters.Unresolved.Skip(unresolvedBefore).Select(u => Unresolved(source, u))]);
        }
        DesiredServiceTable? table = ModelValidator.Validate(document, source, out IReadOnlyList<ModelDiagnostic> invalid);
        return new ModelResult(table, invalid);
    }

    private static ModelDiagnostic Unresolved(string source, ParameterSet.UnresolvedParameter unresolved) =>
        new(ModelDiagnosticKind.UnresolvedParameter, source, unresolved.Line, 0, $"{source}: {unresolved.Message}");
}
