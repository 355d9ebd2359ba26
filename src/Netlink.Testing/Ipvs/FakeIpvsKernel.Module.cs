namespace Netlink.Testing;

public sealed partial class FakeIpvsKernel
{
    private ushort _familyId;

    /// <summary>
    /// Whether ip_vs is loaded, so that the generic netlink family "IPVS" exists. While it is not, the controller
    /// answers a lookup of "IPVS" with ENOENT and a request to the family's old id fails with ENOENT, as genl_rcv_msg
    /// answers for an id no family has.
    /// </summary>
    public bool ModuleLoaded { get; private set; } = true;

    /// <summary>
    /// rmmod ip_vs: the family goes away, and with it the whole table (services, real servers, sync daemons), and the
    /// timeouts return to their defaults, as the module's per-namespace state is freed.
    /// </summary>
    public void UnloadModule()
    {
        lock (_gate)
        {
            ModuleLoaded = false;
            Flush();
            _master = null;
            _backup = null;
            _tcpJiffies = _options.Timeouts.Tcp * _options.Hz;
            _tcpFinJiffies = _options.Timeouts.TcpFin * _options.Hz;
            _udpJiffies = _options.Timeouts.Udp * _options.Hz;
        }
    }

    /// <summary>
    /// modprobe ip_vs: the family comes back, empty, under <paramref name="familyId"/> (the controller hands out a
    /// fresh id at each registration, which need not be the old one), or under the old id when null.
    /// </summary>
    public void LoadModule(ushort? familyId = null)
    {
        if (familyId is { } id)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(id, Generic.GenericNetlinkResolver.ControllerId);
        }
        lock (_gate)
        {
            _familyId = familyId ?? _familyId;
            ModuleLoaded = true;
        }
    }
}
