namespace Netlink.NativeTests.Infrastructure;

/// <summary>Directories a test run makes for files it runs (program copies, compiled helpers), gone when it ends.</summary>
public static class ScratchDirectory
{
    /// <summary>Creates <paramref name="path"/> and removes it, with what it holds, when the test process exits.</summary>
    public static string CreateUntilExit(string path)
    {
        Directory.CreateDirectory(path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            // A failure here must not turn a finished run into a crashed one; the directory is only litter.
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return path;
    }
}
