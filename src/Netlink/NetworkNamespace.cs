namespace Netlink;

/// <summary>
/// Names a network namespace to open sockets in: a file such as /var/run/netns/NAME (what `ip netns add`
/// creates) or /proc/PID/ns/net, or an open descriptor the caller owns.
/// </summary>
public sealed class NetworkNamespace
{
    private NetworkNamespace(string? path, int fd)
    {
        Path = path;
        FileDescriptor = fd;
    }

    /// <summary>The namespace file, when named by path.</summary>
    public string? Path { get; }

    /// <summary>The descriptor, when named by one (-1 otherwise). The caller keeps ownership.</summary>
    public int FileDescriptor { get; }

    /// <summary>
    /// A path another process can open to enter the namespace (as <c>nsenter --net=PATH</c>): <see cref="Path"/>, or
    /// for a descriptor /proc/OURPID/fd/N, which stays valid while this process keeps the descriptor open.
    /// </summary>
    public string PathForOtherProcesses => Path ?? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/proc/{Environment.ProcessId}/fd/{FileDescriptor}");

    /// <summary>A namespace created by <c>ip netns add NAME</c>: /var/run/netns/NAME.</summary>
    public static NetworkNamespace FromName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"network namespace name '{name}' must not contain '/'; use FromPath for a file", nameof(name));
        }
        return new NetworkNamespace("/var/run/netns/" + name, -1);
    }

    /// <summary>A namespace named by a file such as /var/run/netns/NAME or /proc/PID/ns/net.</summary>
    public static NetworkNamespace FromPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new NetworkNamespace(path, -1);
    }

    /// <summary>A namespace named by an open descriptor (which the caller keeps open and closes).</summary>
    public static NetworkNamespace FromFileDescriptor(int fd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        return new NetworkNamespace(null, fd);
    }

    /// <inheritdoc />
    public override string ToString() => Path ?? $"fd {FileDescriptor}";

    /// <summary>
    /// Runs <paramref name="action"/> on a short-lived thread of its own that has entered this namespace, so the
    /// caller's threads never change namespace. A socket created there stays in the namespace for its life.
    /// </summary>
    public T RunInside<T>(Func<T> action)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            int fd = FileDescriptor;
            bool opened = false;
            try
            {
                if (fd < 0)
                {
                    int failed = Interop.Sys.OpenNamespaceFile(Path!, out fd);
                    if (failed != 0)
                    {
                        throw NetlinkException.FromErrno(failed, "open network namespace", Path);
                    }
                    opened = true;
                }
                // The thread exits right after, so its namespace never needs restoring.
                int refused = Interop.Sys.EnterNetworkNamespace(fd);
                if (refused != 0)
                {
                    throw NetlinkException.FromErrno(refused, "enter network namespace", ToString());
                }
                result = action();
            }
            catch (Exception e) when (e is NetlinkException or IOException or UnauthorizedAccessException)
            {
                failure = e;
            }
            finally
            {
                if (opened)
                {
                    Interop.Sys.Close(fd);
                }
            }
        })
        {
            IsBackground = true,
            Name = "netns " + ToString(),
        };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        return result!;
    }
}
