namespace Netlink.Fuzz;

/// <summary>Runs a target over saved inputs outside AFL++: how a crash is reproduced and a corpus is checked.</summary>
public static class Replay
{
    /// <summary>Runs every file of <paramref name="paths"/> (folders: every file in them); 0 when none found a bug.</summary>
    public static int Run(IFuzzTarget target, IEnumerable<string> paths, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(output);
        int inputs = 0, bugs = 0;
        foreach (string file in Files(paths))
        {
            inputs++;
            if (Find(target, File.ReadAllBytes(file)) is { } bug)
            {
                bugs++;
                output.WriteLine($"{file}: {bug}");
            }
        }
        output.WriteLine($"{target.Name}: {inputs} inputs, {bugs} bugs");
        return bugs == 0 && inputs > 0 ? 0 : 1;
    }

    /// <summary>The exception <paramref name="input"/> makes <paramref name="target"/> throw, or null.</summary>
    public static Exception? Find(IFuzzTarget target, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            target.Run(input);
            return null;
        }
#pragma warning disable CA1031 // anything escaping a target is the bug being looked for
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
    }

    private static IEnumerable<string> Files(IEnumerable<string> paths) =>
        paths.SelectMany<string, string>(p => Directory.Exists(p)
            ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [p]);
}
