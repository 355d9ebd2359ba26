using System.Diagnostics.CodeAnalysis;
using Netlink.Ipvs;

namespace ServiceProxy.Kernel;

/// <summary>Opens IPVS the way a service proxy needs it: when the kernel has no IPVS yet, loads ip_vs and tries again.</summary>
public static class IpvsOpener
{
    /// <summary>
    /// Opens an <see cref="IpvsClient"/>; when IPVS is missing and <paramref name="loadModule"/> is set, runs
    /// <c>modprobe ip_vs</c> once and tries again. Returns false with a reason that says both what the kernel lacked and
    /// what modprobe said. Failures other than a missing IPVS (no socket, no permission) throw.
    /// </summary>
    public static bool TryOpen(IpvsClientOptions? options, bool loadModule, [NotNullWhen(true)] out IpvsClient? client, [NotNullWhen(false)] out string? reason)
    {
        options ??= IpvsClientOptions.Default;
        if (IpvsClient.TryOpen(options, out client, out reason) || !loadModule)
        {
            return client is not null;
        }
        ModuleLoadResult loaded = KernelModules.Load("ip_vs");
        if (IpvsClient.TryOpen(options, out client, out reason))
        {
            return true;
        }
        reason = loaded.Loaded ? $"{loaded.Detail} but the family did not appear" : loaded.Detail;
        return false;
    }

    /// <summary>Like <see cref="TryOpen"/>, but a missing IPVS throws <see cref="IpvsUnavailableException"/> with the reason.</summary>
    public static IpvsClient Open(IpvsClientOptions? options = null, bool loadModule = true) =>
        TryOpen(options, loadModule, out IpvsClient? client, out string? reason) ? client : throw new IpvsUnavailableException(reason);
}
