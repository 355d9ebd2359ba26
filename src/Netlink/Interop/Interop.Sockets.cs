using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Netlink.Interop;

/// <summary>
/// The only place the library calls libc for sockets. Every call returns a result the caller can act on,
/// or throws <see cref="NetlinkException"/> carrying errno; no raw errno leaks past this file.
/// </summary>
internal static unsafe partial class Sys
{
    /// <summary>struct sockaddr_nl from linux/netlink.h (Tmds.LibC does not declare it).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct SockaddrNetlink
    {
        public ushort Family;
        public ushort Pad;
        public uint PortId;
        public uint Groups;
    }

    /// <summary>struct timeval, as SO_RCVTIMEO takes it on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    public static NetlinkSafeHandle OpenNetlinkSocket(int protocol)
    {
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            throw NetlinkException.FromErrno(errno, "open netlink socket", $"protocol {protocol}");
        }
        return new NetlinkSafeHandle(fd);
    }

    /// <summary>Binds with port id 0 so the kernel picks a unique one, and returns it.</summary>
    public static uint BindAndGetPortId(NetlinkSafeHandle handle)
    {
        int fd = handle.Fd;
        var address = new SockaddrNetlink { Family = (ushort)(int)AF_NETLINK };
        if (bind(fd, (sockaddr*)&address, (uint)sizeof(SockaddrNetlink)) != 0)
        {
            throw NetlinkException.FromErrno(errno, "bind netlink socket", null);
        }
        socklen_t length = (uint)sizeof(SockaddrNetlink);
        if (getsockname(fd, (sockaddr*)&address, &length) != 0)
        {
            throw NetlinkException.FromErrno(errno, "read netlink socket address", null);
        }
        return address.PortId;
    }

    public static bool TrySetSocketOption(NetlinkSafeHandle handle, int level, int name, int value, out int error)
    {
        if (setsockopt(handle.Fd, level, name, &value, sizeof(int)) != 0)
        {
            error = errno;
            return false;
        }
        error = 0;
        return true;
    }

    public static int GetSocketOption(NetlinkSafeHandle handle, int level, int name)
    {
        int value = 0;
        socklen_t length = sizeof(int);
        if (getsockopt(handle.Fd, level, name, &value, &length) != 0)
        {
            throw NetlinkException.FromErrno(errno, "read socket option", name.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return value;
    }

    public static void SetReceiveTimeout(NetlinkSafeHandle handle, TimeSpan timeout)
    {
        long micros = timeout <= TimeSpan.Zero ? 0 : (long)timeout.TotalMicroseconds;
        var tv = new TimeVal { Seconds = micros / 1_000_000, Microseconds = micros % 1_000_000 };
        if (setsockopt(handle.Fd, SOL_SOCKET, SO_RCVTIMEO, &tv, (uint)sizeof(TimeVal)) != 0)
        {
            throw NetlinkException.FromErrno(errno, "set receive timeout", null);
        }
    }

    /// <summary>Sends one datagram, retrying on EINTR. Returns 0 or the errno.</summary>
    public static int Send(NetlinkSafeHandle handle, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            while (true)
            {
                long sent = send(handle.Fd, p, (size_t)data.Length, 0);
                if (sent >= 0)
                {
                    return 0;
                }
                int error = errno;
                if (error != EINTR)
                {
                    return error;
                }
            }
        }
    }

    /// <summary>
    /// Receives (or with <paramref name="peek"/>, peeks at) one datagram. With MSG_TRUNC the result is the
    /// datagram's full length even when the buffer is smaller, which is how the caller sizes its buffer.
    /// Returns the length, or minus errno.
    /// </summary>
    public static long Receive(NetlinkSafeHandle handle, Span<byte> buffer, bool peek)
    {
        int flags = MSG_TRUNC | (peek ? MSG_PEEK : 0);
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long received = recv(handle.Fd, p, (size_t)buffer.Length, flags);
                if (received >= 0)
                {
                    return received;
                }
                int error = errno;
                if (error != EINTR)
                {
                    return -error;
                }
            }
        }
    }

    /// <summary>Closes a descriptor. Linux releases it even when close reports an error, so there is nothing to retry.</summary>
    public static void Close(int fd) => _ = close(fd);
}
