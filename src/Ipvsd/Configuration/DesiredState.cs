using ServiceProxy.Model;

namespace Ipvsd.Configuration;

/// <summary>
/// The desired table as ipvsd holds it: the model files, re-read a changed file at a time, each update taken whole or
/// not at all.
/// </summary>
internal sealed class DesiredState(ServiceFiles files)
{
    public ServiceModelFiles Model { get; } = new();

    public ServiceFiles Files { get; } = files;

    /// <summary>Reads every file again and forgets files that are gone (start and SIGHUP).</summary>
    public ModelFilesUpdate ReloadAll(out IReadOnlyList<ConfigProblem> problems)
    {
        var found = new List<ConfigProblem>();
        IReadOnlyList<string> names = Files.List(found);
        var sources = new List<ModelSource>(names.Count);
        foreach (string name in names)
        {
            if (ServiceFiles.Read(name, found) is { } source)
            {
                sources.Add(source);
            }
        }
        var present = new HashSet<string>(names, StringComparer.Ordinal);
        return Update(sources, Model.FileNames.Where(n => !present.Contains(n)).ToList(), found, out problems);
    }

    /// <summary>Reads the files that changed (a missing one counts as removed).</summary>
    public ModelFilesUpdate Reload(IEnumerable<string> changed, out IReadOnlyList<ConfigProblem> problems)
    {
        var found = new List<ConfigProblem>();
        var sources = new List<ModelSource>();
        var removed = new List<string>();
        foreach (string name in changed.Distinct(StringComparer.Ordinal))
        {
            if (!File.Exists(name))
            {
                removed.Add(name);
            }
            else if (ServiceFiles.Read(name, found) is { } source)
            {
                sources.Add(source);
            }
        }
        return Update(sources, removed, found, out problems);
    }

    private ModelFilesUpdate Update(List<ModelSource> sources, List<string> removed, List<ConfigProblem> found, out IReadOnlyList<ConfigProblem> problems)
    {
        if (found.Count > 0)
        {
            problems = found;
            return new ModelFilesUpdate([new ModelDiagnostic(ModelDiagnosticKind.Syntax, found[0].File, 0, 0, found[0].Message)], [], [], false);
        }
        ModelFilesUpdate update = Model.Update(sources, removed);
        problems = [.. update.Diagnostics.Select(d => new ConfigProblem(d.Source, d.Line, d.Column, d.Message))];
        return update;
    }
}
