namespace Netlink;

/// <summary>Linux errno values this library names in its messages (asm-generic/errno-base.h, errno.h).</summary>
public static class Errno
{
#pragma warning disable CS1591 // the names are the documentation: each is the errno of the same name
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int E2BIG = 7;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EFAULT = 14;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int ENOTDIR = 20;
    public const int EINVAL = 22;
    public const int ENFILE = 23;
    public const int EMFILE = 24;
    public const int ENOSPC = 28;
    public const int ERANGE = 34;
    public const int ENOSYS = 38;
    public const int ELOOP = 40;
    public const int ENOMSG = 42;
    public const int ENODATA = 61;
    public const int EPROTO = 71;
    public const int EMSGSIZE = 90;
    public const int EPROTONOSUPPORT = 93;
    public const int EOPNOTSUPP = 95;
    public const int EAFNOSUPPORT = 97;
    public const int EADDRINUSE = 98;
    public const int EADDRNOTAVAIL = 99;
    public const int ENOBUFS = 105;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;
    public const int EALREADY = 114;
#pragma warning restore CS1591

    /// <summary>The symbolic name of <paramref name="errno"/>, such as "EEXIST", or "errno N".</summary>
    public static string Name(int errno) => Lookup(errno).Name;

    /// <summary>The C library's text for <paramref name="errno"/>, such as "File exists".</summary>
    public static string Describe(int errno) => Lookup(errno).Text;

    private static (string Name, string Text) Lookup(int errno) => errno switch
    {
        EPERM => ("EPERM", "Operation not permitted"),
        ENOENT => ("ENOENT", "No such file or directory"),
        ESRCH => ("ESRCH", "No such process"),
        EINTR => ("EINTR", "Interrupted system call"),
        EIO => ("EIO", "Input/output error"),
        ENXIO => ("ENXIO", "No such device or address"),
        E2BIG => ("E2BIG", "Argument list too long"),
        EBADF => ("EBADF", "Bad file descriptor"),
        EAGAIN => ("EAGAIN", "Resource temporarily unavailable"),
        ENOMEM => ("ENOMEM", "Cannot allocate memory"),
        EACCES => ("EACCES", "Permission denied"),
        EFAULT => ("EFAULT", "Bad address"),
        EBUSY => ("EBUSY", "Device or resource busy"),
        EEXIST => ("EEXIST", "File exists"),
        ENODEV => ("ENODEV", "No such device"),
        ENOTDIR => ("ENOTDIR", "Not a directory"),
        EINVAL => ("EINVAL", "Invalid argument"),
        ENFILE => ("ENFILE", "Too many open files in system"),
        EMFILE => ("EMFILE", "Too many open files"),
        ENOSPC => ("ENOSPC", "No space left on device"),
        ERANGE => ("ERANGE", "Numerical result out of range"),
        ENOSYS => ("ENOSYS", "Function not implemented"),
        ELOOP => ("ELOOP", "Too many levels of symbolic links"),
        ENOMSG => ("ENOMSG", "No message of desired type"),
        ENODATA => ("ENODATA", "No data available"),
        EPROTO => ("EPROTO", "Protocol error"),
        EMSGSIZE => ("EMSGSIZE", "Message too long"),
        EPROTONOSUPPORT => ("EPROTONOSUPPORT", "Protocol not supported"),
        EOPNOTSUPP => ("EOPNOTSUPP", "Operation not supported"),
        EAFNOSUPPORT => ("EAFNOSUPPORT", "Address family not supported by protocol"),
        EADDRINUSE => ("EADDRINUSE", "Address already in use"),
        EADDRNOTAVAIL => ("EADDRNOTAVAIL", "Cannot assign requested address"),
        ENOBUFS => ("ENOBUFS", "No buffer space available"),
        ETIMEDOUT => ("ETIMEDOUT", "Connection timed out"),
        ECONNREFUSED => ("ECONNREFUSED", "Connection refused"),
        EALREADY => ("EALREADY", "Operation already in progress"),
        _ => ("errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture), "Unknown error " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    };
}
