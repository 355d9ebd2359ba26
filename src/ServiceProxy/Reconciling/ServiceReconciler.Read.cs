using Netlink;
using Netlink.Ipvs;

namespace ServiceProxy.Reconciling;

public sealed partial class ServiceReconciler
{
    /// <summary>
    /// Reads the whole table into the view of owned services, one service at a time as the kernel hands it over. The
    /// first read, and any after a failure, makes every owned and desired service be looked at; later ones only those
    /// whose kernel entry is not what the view holds (drift, counted) or that the view lacks, so a resync that finds
    /// nothing changed costs the read and a comparison: no plan of the whole table, and no copy of it kept.
    /// </summary>
    private void ReadKernel(SyncContext context)
    {
        var comparison = new TableComparison(this, context);
        _ipvs.ReadTable(comparison);
        comparison.Finish();
        _virtualIpsDirty = true;
        _rulesDirty = true;
        _timeoutsDirty = _desiredTimeouts is not null;
        _viewTrusted = true;
        context.FullRead = true;
    }

    /// <summary>Compares each service the kernel holds with the view as it arrives (on the thread that decodes the table).</summary>
    private sealed class TableComparison(ServiceReconciler owner, SyncContext context) : IDumpReceiver<IpvsServiceEntry>
    {
        private readonly bool _trusted = owner._viewTrusted;
        private readonly HashSet<VirtualServiceKey> _present = [];
        private readonly HashSet<VirtualServiceKey> _read = [];
        private readonly HashSet<VirtualServiceKey> _draining = [.. owner._draining.Keys.Select(d => d.Service)];

        public void OnItem(IpvsServiceEntry entry)
        {
            VirtualServiceKey key = entry.Service.Key;
            _present.Add(key);
            if (!owner._owned.Contains(key) && !owner._desired.ContainsKey(key))
            {
                return; // someone else's: never looked at again
            }
            _read.Add(key);
            bool matches = owner._view.Find(key) is { } believed && believed.Matches(entry);
            if (!matches)
            {
                if (_trusted)
                {
                    context.DriftRepairs++;
                    owner._dirty.Add(key);
                }
                owner._view.Set(entry);
            }
            // Connection counts are kept for the services this sync will plan (a drain decision needs them) only.
            if (!_trusted || owner._dirty.Contains(key) || _draining.Contains(key))
            {
                context.Connections[key] = entry.RealServers;
            }
        }

        public void OnRestart() => throw new InvalidOperationException("the IPVS table read restarted after handing services over");

        public void Finish()
        {
            foreach (VirtualServiceKey key in owner._view.Keys.Where(key => !_read.Contains(key)).ToList())
            {
                if (_trusted && !_present.Contains(key))
                {
                    context.DriftRepairs++; // deleted behind our back
                    owner._dirty.Add(key);
                }
                owner._view.Remove(key);
            }
            if (!_trusted)
            {
                owner._dirty.UnionWith(owner._owned);
                owner._dirty.UnionWith(owner._desired.Keys);
                return;
            }
            foreach (VirtualServiceKey key in owner._desired.Keys)
            {
                if (owner._view.Find(key) is null)
                {
                    owner._dirty.Add(key);
                }
            }
        }
    }
}
