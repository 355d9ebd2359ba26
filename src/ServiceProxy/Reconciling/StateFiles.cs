using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ServiceProxy.Reconciling;

/// <summary>
/// The state directory (/var/lib/ipvsd) and the files in it, handled so that no one but the daemon's own user steers
/// what it reads or writes, as sshd treats ~/.ssh:
/// <list type="bullet">
/// <item>The directory is created mode 0700. One that exists must belong to the user the daemon runs as and be
/// writable by no group or other user: whoever can write there could replace the ownership record (and so make the
/// daemon delete services it does not own) or plant links. Such a directory is refused, not repaired, because its
/// contents cannot be trusted either.</item>
/// <item>Files are opened with O_NOFOLLOW: a symbolic link in the directory is refused, never followed, so a link
/// planted there (pointing at /etc/passwd, say) is neither written through nor read and echoed into the log.</item>
/// <item>Files are created mode 0600: only the daemon reads them (the record says which IPVS services it owns;
/// operators read it as root).</item>
/// <item>A file is replaced whole: written to NAME.new (created afresh, O_EXCL), flushed to disk, renamed over NAME.</item>
/// </list>
/// The state directory path itself may be a link (it is the administrator's choice); its target is what is checked.
/// </summary>
[SupportedOSPlatform("linux")]
public static unsafe partial class StateFiles
{
    /// <summary>Mode of a created state directory.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Mode of a created state file.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="directory"/> (mode 0700) when missing; throws <see cref="UnsafeStateException"/> when it is unsafe.</summary>
    public static void PrepareDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, DirectoryMode);
        }
        CheckDirectory(directory);
    }

    /// <summary>Throws <see cref="UnsafeStateException"/> unless <paramref name="directory"/> is a directory of this user's that no one else may write to.</summary>
    public static void CheckDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        stat status = Stat(directory);
        uint owner = status.st_uid;
        uint self = geteuid();
        uint mode = (uint)status.st_mode;
        if ((mode & (uint)S_IFMT) != (uint)S_IFDIR)
        {
            throw new UnsafeStateException($"state directory {directory} is not a directory: remove it, or set state-directory to a directory");
        }
        if (owner != self)
        {
            // for root too: what it made there (0600, root's) would shut the directory's owner out afterwards
            throw new UnsafeStateException($"state directory {directory} belongs to uid {owner}, but ipvsd runs as uid {self}: run ipvsd as uid {owner}, or chown {self} {directory} (its owner could steer ipvsd)");
        }
        if ((mode & (uint)(S_IWGRP | S_IWOTH)) != 0)
        {
            throw new UnsafeStateException($"state directory {directory} is writable by its group or others (mode {Convert.ToString(mode & 0x1ff, 8)}): chmod go-w {directory} (or 0700)");
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> without following a link there; null when it does not exist and
    /// <paramref name="create"/> is false. A link throws <see cref="UnsafeStateException"/>.
    /// </summary>
    public static SafeFileHandle? Open(string path, bool write, bool create)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int flags = (write ? O_RDWR : O_RDONLY) | (create ? O_CREAT : 0) | O_NOFOLLOW | O_CLOEXEC;
        int fd = OpenRaw(path, flags, out int error);
        if (fd < 0)
        {
            return !create && error == ENOENT ? null : throw Problem(path, error);
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        stat status;
        if (fstat(fd, &status) != 0 || ((uint)status.st_mode & (uint)S_IFMT) != (uint)S_IFREG)
        {
            handle.Dispose();
            throw new UnsafeStateException($"{path} is not a regular file: remove it (ipvsd keeps only plain files in its state directory)");
        }
        return handle;
    }

    /// <summary>The text of <paramref name="path"/>, or null when it does not exist; a link is refused.</summary>
    public static string? ReadAllText(string path)
    {
        using SafeFileHandle? handle = Open(path, write: false, create: false);
        if (handle is null)
        {
            return null;
        }
        using var stream = new FileStream(handle, FileAccess.Read);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Replaces <paramref name="path"/> whole with <paramref name="content"/>: see the class summary.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string temporary = path + ".new";
        // a NAME.new left by a crash (or planted: unlink removes a link itself, never its target) goes first
        byte[] bytes = Encoding.UTF8.GetBytes(temporary + "\0");
        fixed (byte* p = bytes)
        {
            if (unlink(p) != 0 && errno != ENOENT)
            {
                throw Problem(temporary, errno);
            }
        }
        // O_EXCL: created here and now, so nothing else's (and never a link, dangling or not)
        int fd = OpenRaw(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, out int error);
        if (fd < 0)
        {
            throw Problem(temporary, error);
        }
        using (var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        // rename replaces whatever NAME is, a link included, and writes through nothing
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Takes flock(LOCK_EX | LOCK_NB) on <paramref name="handle"/>: false when another process holds it.</summary>
    public static bool TryLockExclusive(SafeFileHandle handle, string path)
    {
        ArgumentNullException.ThrowIfNull(handle);
        const int LockExclusive = 2, LockNonBlocking = 4;
        while (Flock((int)handle.DangerousGetHandle(), LockExclusive | LockNonBlocking) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error == EWOULDBLOCK)
            {
                return false;
            }
            if (error != EINTR)
            {
                throw Problem(path, error);
            }
        }
        return true;
    }

    private static int OpenRaw(string path, int flags, out int error)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            int fd = open(p, flags, (mode_t)(uint)FileMode);
            error = fd < 0 ? errno : 0;
            return fd;
        }
    }

    private static stat Stat(string path)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        stat status;
        fixed (byte* p = bytes)
        {
            if (stat(p, &status) != 0)
            {
                throw Problem(path, errno);
            }
        }
        return status;
    }

    private static IOException Problem(string path, int error) => error == ELOOP
        ? new UnsafeStateException($"{path} is a symbolic link: ipvsd follows no link in its state directory (it could point anywhere); remove it")
        : new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(error)}");

    [LibraryImport("libc.so.6", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}
