using static Netlink.Ipvs.Codec.IpvsConstants;

namespace Netlink.Testing;

public sealed partial class FakeIpvsKernel
{
    /// <summary>IP_VS_SVC_F_HASHED: set on every service in the table (ip_vs_svc_hash).</summary>
    private const uint Hashed = 0x0002;

    /// <summary>
    /// ip_vs_genl_set_cmd: FLUSH, SET_CONFIG and ZERO without a service first; then the service (full for
    /// NEW/SET_SERVICE), which must exist for every command but NEW_SERVICE (ESRCH); then, for the real server
    /// commands, the real server and the family rules; then the command itself.
    /// </summary>
    private int Change(byte command, in TopLevel top)
    {
        if (command == CmdFlush)
        {
            Flush();
            return 0;
        }
        if (command == CmdSetConfig)
        {
            return SetTimeouts(top);
        }
        if (command == CmdZero && !top.HasService)
        {
            return 0; // ip_vs_zero_all: the fake's counters are always zero
        }
        bool full = command is CmdNewService or CmdSetService;
        int error = IpvsRequests.ParseService(top.Service, top.HasService, full, out ServiceRequest request);
        if (error != 0)
        {
            return error;
        }
        _services.TryGetValue(request.Id, out ServiceEntry? service);
        if (command != CmdNewService && service is null)
        {
            return Errno.ESRCH;
        }
        switch (command)
        {
            case CmdNewService:
                return service is null ? AddService(request) : Errno.EEXIST;
            case CmdSetService:
                return EditService(service!, request);
            case CmdDelService:
                RemoveService(service!);
                return 0;
            case CmdZero:
                return 0;
            default:
                return ChangeRealServer(command, service!, top);
        }
    }

    /// <summary>
    /// ip_vs_add_service: ENOENT for a scheduler other than "none" that is not loaded (ip_vs_scheduler_get) or a
    /// persistence engine that is not (ip_vs_pe_getbyname); EINVAL for an IPv6 service whose netmask (a prefix
    /// length) is outside 1..128. The flags are those the mask selects (no service to prefill from), HASHED added.
    /// </summary>
    private int AddService(in ServiceRequest request)
    {
        int error = CheckServiceSettings(request);
        if (error != 0)
        {
            return error;
        }
        var service = new ServiceEntry(request.Id, request.Protocol, request.Address, request.Port);
        ApplyServiceSettings(service, request, request.Flags & request.FlagsMask);
        _services.Add(request.Id, service);
        service.Node = _serviceOrder.AddLast(service);
        return 0;
    }

    /// <summary>
    /// ip_vs_edit_service: the same checks as adding; the flags the mask selects replace the service's own
    /// (ip_vs_genl_parse_service prefills from the service); scheduler, persistence engine, timeout and netmask
    /// are replaced, an absent or empty persistence engine removing the service's.
    /// </summary>
    private int EditService(ServiceEntry service, in ServiceRequest request)
    {
        int error = CheckServiceSettings(request);
        if (error != 0)
        {
            return error;
        }
        ApplyServiceSettings(service, request, (service.Flags & ~request.FlagsMask) | (request.Flags & request.FlagsMask));
        return 0;
    }

    private int CheckServiceSettings(in ServiceRequest request)
    {
        if (request.Scheduler != "none" && !_options.Schedulers.Contains(request.Scheduler))
        {
            return Errno.ENOENT;
        }
        if (!string.IsNullOrEmpty(request.PersistenceEngine) && !_options.PersistenceEngines.Contains(request.PersistenceEngine))
        {
            return Errno.ENOENT;
        }
        if (request.Family == LinuxAddressFamily.Inet6 && request.NetmaskRaw is < 1 or > 128)
        {
            return Errno.EINVAL;
        }
        return 0;
    }

    private void ApplyServiceSettings(ServiceEntry service, in ServiceRequest request, uint flags)
    {
        service.Scheduler = request.Scheduler;
        service.PersistenceEngine = string.IsNullOrEmpty(request.PersistenceEngine) ? null : request.PersistenceEngine;
        service.Flags = flags | Hashed;
        // svc->timeout = u->timeout * HZ in an unsigned int: a long persistence wraps, as on the kernel.
        service.TimeoutJiffies = unchecked(request.Timeout * _options.Hz);
        service.NetmaskRaw = request.NetmaskRaw;
    }

    /// <summary>ip_vs_del_service / ip_vs_unlink_service: the service goes with its real servers.</summary>
    private void RemoveService(ServiceEntry service)
    {
        foreach (RealServerEntry server in service.Destinations)
        {
            if (server.Id.Family != service.Id.Family)
            {
                _mixedFamilyRealServers--;
            }
        }
        _realServers -= service.Destinations.Count;
        _services.Remove(service.Id);
        _serviceOrder.Remove(service.Node!);
    }

    /// <summary>ip_vs_flush: every service of the namespace, with its real servers.</summary>
    private void Flush()
    {
        _services.Clear();
        _serviceOrder.Clear();
        _realServers = 0;
        _mixedFamilyRealServers = 0;
    }
}
