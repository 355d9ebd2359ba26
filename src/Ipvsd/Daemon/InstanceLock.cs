using System.Diagnostics.CodeAnalysis;
using Microsoft.Win32.SafeHandles;
using ServiceProxy.Reconciling;

namespace Ipvsd.Daemon;

/// <summary>
/// One ipvsd per state directory: two would each plan against their own view of the kernel and undo each other's
/// work, and the second to start would read an ownership record the first is rewriting. The lock is the open file
/// <c>STATE/lock</c> held with flock(LOCK_EX); the kernel drops it when the process ends, however it ends, so a kill -9
/// never leaves a stale lock behind. Taking it is also where the state directory is created (0700) or checked, and
/// the lock file is opened as every state file is (<see cref="StateFiles"/>): a link there is refused, not followed.
/// </summary>
internal sealed class InstanceLock : IDisposable
{
    private readonly SafeFileHandle _file;

    private InstanceLock(SafeFileHandle file) => _file = file;

    /// <summary>
    /// Takes the lock in <paramref name="stateDirectory"/>; false with one line saying what is wrong and what to do,
    /// and <paramref name="busy"/> telling another holder (exit 6) from an unusable directory.
    /// </summary>
    public static bool TryAcquire(string stateDirectory, [NotNullWhen(true)] out InstanceLock? held, [NotNullWhen(false)] out string? problem, out bool busy)
    {
        held = null;
        busy = false;
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the lock is a file with Unix permissions");
        }
        string path = Path.Combine(stateDirectory, "lock");
        SafeFileHandle? file = null;
        try
        {
            StateFiles.PrepareDirectory(stateDirectory);
            file = StateFiles.Open(path, write: true, create: true)!;
            if (!StateFiles.TryLockExclusive(file, path))
            {
                file.Dispose();
                busy = true;
                problem = $"another ipvsd is running with state directory {stateDirectory} (it holds {path}): run one ipvsd per node, or stop the other first";
                return false;
            }
            held = new InstanceLock(file);
            problem = null;
            return true;
        }
        catch (UnsafeStateException e)
        {
            file?.Dispose();
            problem = e.Message;
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file?.Dispose();
            problem = $"cannot take the lock {path}: {e.Message}: ipvsd needs a state-directory it owns and can write";
            return false;
        }
    }

    public void Dispose() => _file.Dispose();
}
