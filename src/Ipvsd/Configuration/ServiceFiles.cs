using ServiceProxy.Model;

namespace Ipvsd.Configuration;

/// <summary>
/// The model files ipvsd serves: one file, or every *.yaml and *.yml file directly in a directory (sorted by name, so
/// the order is the same on every node). Reads them for <see cref="ServiceModelFiles"/>.
/// </summary>
internal sealed class ServiceFiles(string path)
{
    /// <summary>The file or directory configured.</summary>
    public string Path { get; } = path;

    /// <summary>Whether <see cref="Path"/> is a directory.</summary>
    public bool IsDirectory => Directory.Exists(Path);

    /// <summary>Whether a path inside the directory is one of the model files (by its name).</summary>
    public bool IsModelFile(string path) =>
        IsDirectory
            ? System.IO.Path.GetDirectoryName(path) == Path.TrimEnd('/') && HasModelExtension(path) && !System.IO.Path.GetFileName(path).StartsWith('.')
            : path == Path;

    /// <summary>Every model file now, sorted; a missing path is a problem.</summary>
    public IReadOnlyList<string> List(List<ConfigProblem> problems)
    {
        if (Directory.Exists(Path))
        {
            return [.. Directory.EnumerateFiles(Path).Where(IsModelFile).Order(StringComparer.Ordinal)];
        }
        if (File.Exists(Path))
        {
            return [Path];
        }
        problems.Add(new ConfigProblem(Path, 0, 0, "services: no such file or directory: create it or fix 'services' in the configuration"));
        return [];
    }

    /// <summary>Reads one file; null (with a problem) when it cannot be read.</summary>
    public static ModelSource? Read(string file, List<ConfigProblem> problems)
    {
        try
        {
            return new ModelSource(file, File.ReadAllText(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new ConfigProblem(file, 0, 0, $"cannot read: {e.Message}"));
            return null;
        }
    }

    private static bool HasModelExtension(string path) =>
        path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal);
}
