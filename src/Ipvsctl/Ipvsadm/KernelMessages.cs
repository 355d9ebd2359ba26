using Netlink;

namespace Ipvsctl.Ipvsadm;

/// <summary>Which libipvs call failed: its error texts depend on it.</summary>
internal enum IpvsCall
{
    Init,
    GetInfo,
    AddService,
    UpdateService,
    DeleteService,
    ZeroService,
    AddDestination,
    UpdateDestination,
    DeleteDestination,
    SetTimeout,
    StartDaemon,
    StopDaemon,
    GetServices,
    GetDestinations,
    GetService,
    GetTimeout,
    GetDaemon,
    Flush,
}

/// <summary>libipvs's ipvs_strerror: the message ipvsadm prints for a kernel error, by call and errno.</summary>
internal static class KernelMessages
{
    public static string Describe(IpvsCall call, int errno) => (call, errno) switch
    {
        (IpvsCall.AddService, Errno.EEXIST) => "Service already exists",
        (IpvsCall.AddService, Errno.ENOENT) => "Scheduler or persistence engine not found",
        (IpvsCall.UpdateService, Errno.ESRCH) => "No such service",
        (IpvsCall.UpdateService, Errno.ENOENT) => "Scheduler or persistence engine not found",
        (IpvsCall.DeleteService, Errno.ESRCH) => "No such service",
        (IpvsCall.ZeroService, Errno.ESRCH) => "No such service",
        (IpvsCall.AddDestination, Errno.ESRCH) => "Service not defined",
        (IpvsCall.AddDestination, Errno.EEXIST) => "Destination already exists",
        (IpvsCall.UpdateDestination, Errno.ESRCH) => "Service not defined",
        (IpvsCall.UpdateDestination, Errno.ENOENT) => "No such destination",
        (IpvsCall.DeleteDestination, Errno.ESRCH) => "Service not defined",
        (IpvsCall.DeleteDestination, Errno.ENOENT) => "No such destination",
        (IpvsCall.StartDaemon, Errno.EEXIST) => "Daemon has already run",
        (IpvsCall.StopDaemon, Errno.ESRCH) => "No daemon is running",
        (IpvsCall.GetServices, Errno.ESRCH) => "No such service",
        (IpvsCall.GetDestinations, Errno.ESRCH) => "No such service",
        (IpvsCall.GetService, Errno.ESRCH) => "No such service",
        (_, Errno.EPERM) => "Permission denied (you must be root)",
        (_, Errno.EINVAL) => "Invalid operation.  Possibly wrong module version, address not unicast, ...",
        (_, 92) => "Protocol not available",
        (_, Errno.ENOMEM) => "Memory allocation problem",
        (_, Errno.EOPNOTSUPP) => "Operation not supported with IPv6",
        (_, Errno.EAFNOSUPPORT) => "Operation not supported with specified address family",
        (_, Errno.EMSGSIZE) => "Module is wrong version",
        _ => Errno.Describe(errno),
    };
}
