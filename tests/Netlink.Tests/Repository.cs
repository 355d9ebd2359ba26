namespace Netlink.Tests;

/// <summary>The checkout the tests run from: files the tests read in place (manifests, fuzzing corpora).</summary>
internal static class Repository
{
    /// <summary>The folder holding Netlink.sln, above the test binary.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
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
