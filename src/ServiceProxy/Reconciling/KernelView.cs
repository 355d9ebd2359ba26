using System.Net;
using Netlink.Ipvs;
using ServiceProxy.Planning;

namespace ServiceProxy.Reconciling;

/// <summary>
/// The reconciler's belief of what the kernel holds for the services it owns: read whole on a full resync, then kept
/// up to date with every step it applies, so a change to one service is planned against this view without reading
/// the kernel. Settings only (counters go stale at once and are read when needed).
/// </summary>
internal sealed class KernelView
{
    private readonly Dictionary<VirtualServiceKey, ViewService> _services = [];

    public int Count => _services.Count;

    public IEnumerable<VirtualServiceKey> Keys => _services.Keys;

    public ViewService? Find(VirtualServiceKey key) => _services.GetValueOrDefault(key);

    public void Clear() => _services.Clear();

    public void Remove(VirtualServiceKey key) => _services.Remove(key);

    public void Set(IpvsServiceEntry entry)
    {
        var service = new ViewService(entry.Service.Settings);
        foreach (ObservedRealServer server in entry.RealServers)
        {
            service.RealServers[(server.Settings.Address, server.Settings.Port)] = server.Settings;
        }
        _services[entry.Service.Key] = service;
    }

    /// <summary>Records one step as applied.</summary>
    public void Apply(ServiceTableChange change)
    {
        VirtualServiceKey key = change.Service.Key;
        switch (change.Kind)
        {
            case IpvsOperationKind.AddService:
                _services[key] = new ViewService(change.Service);
                break;
            case IpvsOperationKind.UpdateService:
                Find(key)?.Update(change.Service);
                break;
            case IpvsOperationKind.DeleteService:
                _services.Remove(key);
                break;
            case IpvsOperationKind.AddRealServer:
            case IpvsOperationKind.UpdateRealServer:
                Find(key)?.SetRealServer(change.RealServer!);
                break;
            case IpvsOperationKind.DeleteRealServer:
                Find(key)?.RealServers.Remove((change.RealServer!.Address, change.RealServer.Port));
                break;
        }
    }
}

/// <summary>One service in the <see cref="KernelView"/>.</summary>
internal sealed class ViewService(VirtualService settings)
{
    public VirtualService Settings { get; private set; } = settings;

    public Dictionary<(IPAddress Address, ushort Port), RealServer> RealServers { get; } = [];

    public void Update(VirtualService settings) => Settings = settings;

    public void SetRealServer(RealServer server) => RealServers[(server.Address, server.Port)] = server;

    /// <summary>As the planner takes it.</summary>
    public IpvsServiceEntry ToEntry() =>
        new(new ObservedVirtualService(Settings), [.. RealServers.Values.Select(r => new ObservedRealServer(r))]);

    /// <summary>Whether the kernel's entry holds exactly these settings.</summary>
    public bool Matches(IpvsServiceEntry entry) =>
        entry.Service.Settings.Equals(Settings)
        && entry.RealServers.Count == RealServers.Count
        && entry.RealServers.All(r => RealServers.TryGetValue((r.Settings.Address, r.Settings.Port), out RealServer? mine) && mine.Equals(r.Settings));
}
