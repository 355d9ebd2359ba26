namespace ServiceProxy.Kernel;

/// <summary>The running kernel's version, as kube-proxy reads it: the numbers that begin kernel/osrelease (uname -r).</summary>
public static class KernelRelease
{
    /// <summary>
    /// Reads <c>kernel/osrelease</c> under <paramref name="procSys"/> and returns its version ("6.1.0-18-amd64" gives
    /// 6.1.0), or null when it cannot be read or does not start with major.minor.
    /// </summary>
    public static Version? Read(string procSys = "/proc/sys")
    {
        try
        {
            return Parse(File.ReadAllText(Path.Combine(procSys, "kernel", "osrelease")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The leading "major.minor[.patch]" of a release string, or null when it has none.</summary>
    public static Version? Parse(string release)
    {
        ArgumentNullException.ThrowIfNull(release);
        string text = release.Trim();
        int end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
        {
            end++;
        }
        string[] parts = text[..end].Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !int.TryParse(parts[0], out int major) || !int.TryParse(parts[1], out int minor))
        {
            return null;
        }
        return parts.Length >= 3 && int.TryParse(parts[2], out int patch) ? new Version(major, minor, patch) : new Version(major, minor);
    }
}
