using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Netlink.Interop;

/// <summary>
/// The only place the library calls libc for sockets. Every call returns 0 or the errno (results come out through
/// out parameters), and never throws: the socket class turns an errno into an exception that names what it was doing.
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

    /// <summary>Opens a close-on-exec AF_NETLINK raw socket for <paramref name="protocol"/>. Returns 0 and the fd, or the errno.</summary>
    public static int OpenNetlinkSocket(int protocol, out int fd)
    {
        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        return fd < 0 ? errno : 0;
    }

    /// <summary>Binds with port id 0 so the kernel picks a unique one. Returns 0 or the errno.</summary>
    public static int Bind(NetlinkSafeHandle handle)
    {
        var address = new SockaddrNetlink { Family = (ushort)(int)AF_NETLINK };
        return bind(handle.Fd, (sockaddr*)&address, (uint)sizeof(SockaddrNetlink)) != 0 ? errno : 0;
    }

    /// <summary>Reads the port id the kernel gave the bound socket. Returns 0 or the errno.</summary>
    public static int GetPortId(NetlinkSafeHandle handle, out uint portId)
    {
        var address = default(SockaddrNetlink);
        socklen_t length = (uint)sizeof(SockaddrNetlink);
        int result = getsockname(handle.Fd, (sockaddr*)&address, &length) != 0 ? errno : 0;
        portId = address.PortId;
        return result;
    }

    /// <summary>Sets an int socket option. Returns 0 or the errno.</summary>
    public static int SetSocketOption(NetlinkSafeHandle handle, int level, int name, int value) =>
        setsockopt(handle.Fd, level, name, &value, sizeof(int)) != 0 ? errno : 0;

    /// <summary>Reads an int socket option. Returns 0 or the errno.</summary>
    public static int GetSocketOption(NetlinkSafeHandle handle, int level, int name, out int value)
    {
        int read = 0;
        socklen_t length = sizeof(int);
        int result = getsockopt(handle.Fd, level, name, &read, &length) != 0 ? errno : 0;
        value = read;
        return result;
    }

    /// <summary>Sets SO_RCVTIMEO (zero or less: wait forever). Returns 0 or the errno.</summary>
    public static int SetReceiveTimeout(NetlinkSafeHandle handle, TimeSpan timeout)
    {
        long micros = timeout <= TimeSpan.Zero ? 0 : (long)timeout.TotalMicroseconds;
        var tv = new TimeVal { Seconds = micros / 1_000_000, Microseconds = micros % 1_000_000 };
        return setsockopt(handle.Fd, SOL_SOCKET, SO_RCVTIMEO, &tv, (uint)sizeof(TimeVal)) != 0 ? errno : 0;
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
    /// Receives (or with <paramref name="peek"/>, peeks at) one datagram, retrying on EINTR. With MSG_TRUNC the length
    /// is the datagram's full length even when the buffer is smaller, which is how the caller sizes its buffer.
    /// Returns 0 and the length, or the errno.
    /// </summary>
    public static int Receive(NetlinkSafeHandle handle, Span<byte> buffer, bool peek, out long length)
    {
        int flags = MSG_TRUNC | (peek ? MSG_PEEK : 0);
        fixed (byte* p = buffer)
        {
            while (true)
            {
                length = recv(handle.Fd, p, (size_t)buffer.Length, flags);
                if (length >= 0)
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

    /// <summary>Closes a descriptor. Linux releases it even when close reports an error, so there is nothing to retry.</summary>
    public static void Close(int fd) => _ = close(fd);
}
