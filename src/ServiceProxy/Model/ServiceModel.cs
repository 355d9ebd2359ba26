using Netlink.Ipvs;
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
        return ParseOne(new ModelSource(source, text), parameters, out _, out _);
    }

    /// <summary>
    /// Reads several model files (a directory of them, in the caller's order) as one table: each is read as
    /// <see cref="Parse"/> reads one, and every problem of every file is reported together. A service defined in two
    /// files, or timeouts set in two, is an <see cref="ModelDiagnosticKind.Invalid"/> diagnostic naming both places.
    /// </summary>
    public static ModelResult ParseAll(IEnumerable<ModelSource> sources, ParameterSet? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var files = new ServiceModelFiles(parameters);
        ModelFilesUpdate update = files.Update(sources);
        return update.IsValid ? new ModelResult(files.ToTable(), []) : new ModelResult(null, update.Diagnostics);
    }

    internal static ModelResult ParseOne(ModelSource source, ParameterSet? parameters, out IReadOnlyDictionary<VirtualServiceKey, int> lines, out int timeoutsLine)
    {
        lines = new Dictionary<VirtualServiceKey, int>();
        timeoutsLine = 0;
        Func<string, int, string> substitute = parameters is null ? static (value, _) => value : parameters.Substitute;
        int unresolvedBefore = parameters?.Unresolved.Count ?? 0;
        ModelDocument? document = ModelReader.Read(source.Text, source.Name, substitute, out IReadOnlyList<ModelDiagnostic> syntax);
        if (document is null)
        {
            return new ModelResult(null, syntax);
        }
        if (parameters is not null && parameters.Unresolved.Count > unresolvedBefore)
        {
            return new ModelResult(null, [.. parameters.Unresolved.Skip(unresolvedBefore).Select(u => Unresolved(source.Name, u))]);
        }
        timeoutsLine = document.Timeouts?.Line ?? 0;
        DesiredServiceTable? table = ModelValidator.Validate(document, source.Name, out IReadOnlyList<ModelDiagnostic> invalid, out lines);
        return new ModelResult(table, invalid);
    }

    private static ModelDiagnostic Unresolved(string source, ParameterSet.UnresolvedParameter unresolved) =>
        new(ModelDiagnosticKind.UnresolvedParameter, source, unresolved.Line, 0, $"{source}: {unresolved.Message}");
}
