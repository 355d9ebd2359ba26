using System.Net;
using Netlink;
using Netlink.Ipvs;
using ServiceProxy.Planning;
using ServiceProxy.Rules;
using ServiceProxy.VirtualIps;

namespace ServiceProxy.Reconciling;

public sealed partial class ServiceReconciler
{
    private void ApplyVirtualIps(SyncContext context)
    {
        if (VirtualIps is null)
        {
            _virtualIpsDirty = false;
            return;
        }
        if (!_virtualIpsDirty)
        {
            return;
        }
        if (_options.DryRun)
        {
            context.VirtualIps = VirtualIps.Preview(WantedVirtualIps());
            _virtualIpsDirty = false;
            return;
        }
        IReadOnlyCollection<IPAddress> wanted = WantedVirtualIps();
        VirtualIpChanges changes = VirtualIps.Bind(wanted);
        if (context.FullRead)
        {
            context.DriftRepairs += changes.Added.Count(_bound.Contains);
        }
        _bound.Clear();
        _bound.UnionWith(wanted.Except(changes.AlreadyLocal));
        context.VirtualIps = changes;
        _virtualIpsDirty = false;
    }

    private void ApplyRules(SyncContext context)
    {
        if (Rules is null)
        {
            _rulesDirty = false;
            return;
        }
        if (!_rulesDirty)
        {
            return;
        }
        ServiceRuleSet wanted = WantedRules();
        if (context.FullRead || _options.DryRun)
        {
            ServiceRuleSet? installed = Rules.Read();
            if (installed is not null && !wanted.Equals(installed) && wanted.Equals(_rulesInstalled))
            {
                // A dump of a set the kernel is growing can miss elements (nf_tables walks its hash table while it is
                // being rehashed: seen as 9,216 of 10,000 virtual IPs under load), so a difference from what this process
                // installed is read once more before it counts as drift.
                installed = Rules.Read();
            }
            if (wanted.Equals(installed))
            {
                _rulesInstalled = wanted;
                _rulesDirty = false;
                return;
            }
            if (_rulesInstalled is not null && !_options.DryRun)
            {
                context.DriftRepairs++;
            }
        }
        else if (wanted.Equals(_rulesInstalled))
        {
            _rulesDirty = false;
            return;
        }
        if (!_options.DryRun)
        {
            if (_rulesInstalled is not null && !context.FullRead)
            {
                // What the last apply installed is known and nothing since said otherwise (any failure makes the next
                // sync a full one): only the difference goes to the backend, one set element per service changed.
                Rules.Apply(ServiceRuleChange.Between(_rulesInstalled, wanted));
            }
            else
            {
                // The first apply, or a full read that found the rules differ (someone changed them, or they were
                // never installed): the whole set, which repairs whatever the difference is.
                Rules.Apply(wanted);
            }
            _rulesInstalled = wanted;
        }
        context.RulesApplied = true;
        _rulesDirty = false;
    }
}
