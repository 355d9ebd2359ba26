using System.Text;
using static Tmds.Linux.LibC;

namespace Netlink.Interop;

internal static unsafe partial class Sys
{
    /// <summary>Opens a namespace file (such as /var/run/netns/NAME) read-only. Returns 0 and the fd, or the errno.</summary>
    public static int OpenNamespaceFile(string path, out int fd)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            fd = open(p, O_RDONLY | O_CLOEXEC, 0);
            return fd < 0 ? errno : 0;
        }
    }

    /// <summary>Moves the calling thread into the network namespace behind <paramref name="fd"/>. Returns 0 or the errno.</summary>
    public static int EnterNetworkNamespace(int fd) => setns(fd, CLONE_NEWNET) != 0 ? errno : 0;
}
