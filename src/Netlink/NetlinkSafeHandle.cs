using System.Runtime.InteropServices;

namespace Netlink;

/// <summary>Owns a netlink socket's file descriptor and closes it exactly once.</summary>
internal sealed class NetlinkSafeHandle : SafeHandle
{
    public NetlinkSafeHandle(int fd)
        : base(new IntPtr(-1), ownsHandle: true)
    {
        SetHandle(new IntPtr(fd));
    }

    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The descriptor; only the interop layer uses it.</summary>
    public int Fd => (int)handle.ToInt64();

    protected override bool ReleaseHandle()
    {
        Interop.Sys.Close(Fd);
        return true;
    }
}
