using System.Net;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsctl.Declarative;

/// <summary>
/// The pod network with the seed service's virtual IP bound in the node, on a dummy link as kube-proxy binds its
/// own on kube-ipvs0: IPVS only sees packets the node takes as its own. One per test class.
/// </summary>
public sealed class SeedScenarioNetwork : IDisposable
{
    /// <summary>The seed service's virtual IP (examples/ipvsd/services/seed.yaml).</summary>
    public static readonly IPAddress VirtualIp = IPAddress.Parse("198.18.97.97");

    /// <summary>The example model of the seed service, copied beside the test program.</summary>
    public static readonly string SeedModel = Path.Combine(AppContext.BaseDirectory, "examples", "ipvsd", "services", "seed.yaml");

    public SeedScenarioNetwork()
    {
        try
        {
            Network.Node.IpBatch("link add vips0 type dummy", $"addr add {VirtualIp}/32 dev vips0", "link set vips0 up");
        }
        catch
        {
            Network.Dispose();
            throw;
        }
    }

    /// <summary>Client, node and pods.</summary>
    public PodNetwork Network { get; } = new();

    /// <summary>Removes it all.</summary>
    public void Dispose() => Network.Dispose();
}
