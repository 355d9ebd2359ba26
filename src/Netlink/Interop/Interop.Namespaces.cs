using System.Text;
using static Tmds.Linux.LibC;

namespace Netlink.Interop;

internal static unsafe partial class Sys
{
    /// <summary>Opens a namespace file (such as /var/run/netns/NAME) read-only; returns the fd.</summary>
    public static int OpenNamespaceFile(string path)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            int fd = open(p, O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0)
            {
                throw NetlinkException.FromErrno(errno, "open network namespace", path);
            }
            return fd;
        }
    }

    /// <summary>Moves the calling thread into the network namespace behind <paramref name="fd"/>.</summary>
    public static void EnterNetworkNamespace(int fd, string description)
    {
        if (setns(fd, CLONE_NEWNET) != 0)
        {
            throw NetlinkException.FromErrno(errno, "enter network namespace", description);
        }
    }
}
