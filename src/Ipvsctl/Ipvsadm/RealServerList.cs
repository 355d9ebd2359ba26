using Netlink;
using Netlink.Ipvs;

namespace Ipvsctl.Ipvsadm;

/// <summary>
/// Fills a reused list with a service's real servers as the dump streams them, and empties it when the kernel restarts
/// the dump, so an interrupted read never lists a real server twice.
/// </summary>
internal sealed class RealServerList(List<ObservedRealServer> servers) : IDumpReceiver<ObservedRealServer>
{
    public void OnItem(ObservedRealServer item) => servers.Add(item);

    public void OnRestart() => servers.Clear();
}
