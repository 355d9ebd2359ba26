using Netlink.Ipvs;
using ServiceProxy.Planning;
using ServiceProxy.Rules;
using ServiceProxy.VirtualIps;

namespace ServiceProxy.Reconciling;

public sealed partial class ServiceReconciler
{
    /// <summary>
    /// Removes everything this reconciler owns: its services (those in the ownership record and those desired), the
    /// virtual IPs' interface, the service rules, then the record. Services someone else added stay. Throws on the
    /// kernel's refusal (the record is kept then, so a second cleanup finishes the job).
    /// </summary>
    public CleanupReport Cleanup()
    {
        var mine = new HashSet<VirtualServiceKey>(_owned);
        mine.UnionWith(_desired.Keys);
        var steps = new List<ServiceTableChange>();
        foreach (ObservedVirtualService service in _ipvs.ListServices())
        {
            if (mine.Contains(service.Key))
            {
                steps.Add(new ServiceTableChange(IpvsOperationKind.DeleteService, service.Settings, null, []));
            }
        }
        var context = new SyncContext(SyncKind.Full, Time.GetUtcNow());
        if (steps.Count > 0)
        {
            ServiceTableApplier.Apply(_ipvs, new ServiceTablePlan(steps), _options.Batch);
            context.Changes.AddRange(steps);
            DeleteConntrackEntries(context);
        }
        bool interfaceRemoved = VirtualIps?.RemoveInterface() ?? false;
        bool rulesRemoved = false;
        if (Rules is not null && Rules.Read() is not null)
        {
            Rules.Remove();
            rulesRemoved = true;
        }
        _ownership.Delete();
        _owned.Clear();
        _view.Clear();
        _viewTrusted = false;
        return new CleanupReport(steps.Count, interfaceRemoved, rulesRemoved);
    }

    /// <summary>
    /// Reads the node whole and lists how it differs from what a sync would make of it (IPVS steps, virtual IPs,
    /// rules); empty when it matches. Changes nothing.
    /// </summary>
    public IReadOnlyList<string> Differences()
    {
        var context = new SyncContext(SyncKind.Full, Time.GetUtcNow());
        var current = new List<IpvsServiceEntry>();
        foreach (IpvsServiceEntry entry in _ipvs.GetTable())
        {
            if (_owned.Contains(entry.Service.Key) || _desired.ContainsKey(entry.Service.Key))
            {
                current.Add(entry);
                context.Connections[entry.Service.Key] = entry.RealServers;
            }
        }
        var wanted = new List<DesiredService>(_desired.Count);
        foreach (VirtualServiceKey key in _desired.Keys)
        {
            wanted.Add(Effective(key, context)!);
        }
        IpvsTimeouts? timeouts = _desiredTimeouts is null ? null : _ipvs.GetTimeouts();
        ServiceTablePlan plan = ServiceTablePlanner.Plan(current, timeouts, new DesiredServiceTable(wanted, _desiredTimeouts));
        var differences = new List<string>(plan.Changes.Select(change => change.ToString()));
        if (plan.Timeouts is not null)
        {
            differences.Add("timeouts: " + plan.DescribeTimeouts());
        }
        if (VirtualIps is not null)
        {
            VirtualIpChanges addresses = VirtualIps.Preview(WantedVirtualIps());
            differences.AddRange(addresses.Added.Select(a => $"virtual IP {a} is not bound on {VirtualIps.InterfaceName}"));
            differences.AddRange(addresses.Removed.Select(a => $"virtual IP {a} is bound on {VirtualIps.InterfaceName} but no service uses it"));
        }
        if (Rules is not null)
        {
            ServiceRuleSet wantedRules = WantedRules();
            ServiceRuleSet? installed = Rules.Read();
            if (!wantedRules.Equals(installed))
            {
                differences.Add(installed is null ? $"the service rules ({Rules.Kind}) are not installed" : $"the service rules ({Rules.Kind}) differ from the services'");
            }
        }
        return differences;
    }
}
