using System.Net;
using Netlink.Ipvs;
using ServiceProxy.Reconciling;

namespace K8sBench;

/// <summary>
/// Waits for one real server to reach the kernel: after every sync the sync thread asks the kernel itself (one GET_DEST
/// dump of the service, after the sync's end was taken, so the look costs the figure nothing), and the first sync
/// after which the real server is there at a weight above 0 is when the change landed.
/// </summary>
internal sealed class LandingProbe(VirtualServiceKey service, IPAddress address, ushort port)
{
    private readonly TaskCompletionSource<Landing> _landed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<Landing> Landed => _landed.Task;

    /// <summary>On the sync thread, after a sync that ended at <paramref name="ended"/>: true once landed (or failed).</summary>
    public bool Check(IIpvsClient kernel, SyncReport report, long ended)
    {
        if (!report.Succeeded)
        {
            return _landed.TrySetException(new InvalidOperationException($"a sync failed while {address}:{port} was awaited in {service}", report.Error));
        }
        foreach (ObservedRealServer server in kernel.ListRealServers(service))
        {
            if (server.Settings.Address.Equals(address) && server.Settings.Port == port && server.Settings.Weight > 0)
            {
                return _landed.TrySetResult(new Landing(ended, report.Duration, report.ServicesPlanned));
            }
        }
        return false;
    }
}

/// <summary>When the sync that brought the change ended (Stopwatch ticks), how long it took and how many services it planned.</summary>
internal readonly record struct Landing(long At, TimeSpan SyncDuration, int ServicesPlanned);
