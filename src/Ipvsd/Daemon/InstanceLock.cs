using System.Diagnostics.CodeAnalysis;

namespace Ipvsd.Daemon;

/// <summary>
/// One ipvsd per state directory: two would each plan against their own view of the kernel and undo each other's
/// work, and the second to start would read an ownership record the first is rewriting. The lock is the open file
/// <c>STATE/lock</c> held exclusively (.NET takes flock(LOCK_EX) for FileShare.None on Linux); the kernel drops it when
/// the process ends, however it ends, so a kill -9 never leaves a stale lock behind.
/// </summary>
internal sealed class InstanceLock : IDisposable
{
    /// <summary>What .NET on Linux gives as the HResult when flock finds the file locked: the errno, EWOULDBLOCK.</summary>
    private const int SharingViolation = 11;

    private readonly FileStream _file;

    private InstanceLock(FileStream file) => _file = file;

    /// <summary>Takes the lock in <paramref name="stateDirectory"/>; false with one line saying who holds it and what to do.</summary>
    public static bool TryAcquire(string stateDirectory, [NotNullWhen(true)] out InstanceLock? held, [NotNullWhen(false)] out string? problem)
    {
        held = null;
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the lock is a file with Unix permissions");
        }
        string path = Path.Combine(stateDirectory, "lock");
        try
        {
            Directory.CreateDirectory(stateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            held = new InstanceLock(file);
            problem = null;
            return true;
        }
        catch (IOException e) when (e.HResult == SharingViolation)
        {
            problem = $"another ipvsd is running with state directory {stateDirectory} (it holds {path}): run one ipvsd per node, or stop the other first";
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot take the lock {path}: {e.Message}: ipvsd needs a writable state-directory";
            return false;
        }
    }

    public void Dispose() => _file.Dispose();
}
