using YamlDotNet.RepresentationModel;

namespace Netlink.Tests.Deploy;

/// <summary>The Kubernetes manifests under deploy/kubernetes, each document as plain maps, lists and strings.</summary>
internal static class Manifests
{
    public static string Directory { get; } = Path.Combine(RepositoryRoot(), "deploy", "kubernetes");

    /// <summary>Every document of every YAML file, cleanup/ included, with the file it came from.</summary>
    public static IReadOnlyList<(string File, ManifestMap Document)> All { get; } = Load();

    public static ManifestMap Single(string kind, string? name = null) =>
        Assert.Single(All, d => d.Document.Text("kind") == kind && (name is null || d.Document.Map("metadata").Text("name") == name)).Document;

    /// <summary>A YAML document's text, parsed the same way.</summary>
    public static ManifestMap Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (ManifestMap)Convert(Assert.Single(stream.Documents).RootNode)!;
    }

    private static List<(string, ManifestMap)> Load()
    {
        var documents = new List<(string, ManifestMap)>();
        foreach (string file in System.IO.Directory.EnumerateFiles(Directory, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file))
            {
                stream.Load(reader);
            }
            foreach (YamlDocument document in stream.Documents)
            {
                documents.Add((Path.GetRelativePath(Directory, file), (ManifestMap)Convert(document.RootNode)!));
            }
        }
        return documents;
    }

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new ManifestMap(map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => Convert(p.Value))),
        YamlSequenceNode list => list.Children.Select(Convert).ToList(),
        YamlScalarNode scalar => scalar.Value,
        _ => null,
    };

    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? at = new(AppContext.BaseDirectory); at is not null; at = at.Parent)
        {
            if (File.Exists(Path.Combine(at.FullName, "Netlink.sln")))
            {
                return at.FullName;
            }
        }
        throw new InvalidOperationException($"no Netlink.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>A YAML mapping, with typed steps for a test to walk it.</summary>
internal sealed class ManifestMap(Dictionary<string, object?> values)
{
    public IReadOnlyDictionary<string, object?> Values => values;

    public bool Has(string key) => values.ContainsKey(key);

    public string? Text(string key) => values.GetValueOrDefault(key) as string;

    public ManifestMap Map(string key) => Assert.IsType<ManifestMap>(values.GetValueOrDefault(key), exactMatch: true);

    public IReadOnlyList<ManifestMap> Maps(string key) =>
        values.GetValueOrDefault(key) is List<object?> list ? [.. list.Select(i => Assert.IsType<ManifestMap>(i, exactMatch: true))] : [];

    public IReadOnlyList<string> Texts(string key) =>
        values.GetValueOrDefault(key) is List<object?> list ? [.. list.Select(i => Assert.IsType<string>(i))] : [];
}
