using System.Globalization;
using Netlink.Ipvs;

namespace ServiceProxy.Planning;

/// <summary>Lists the editable settings that differ between the kernel's entry and the desired one, as "name old -> new".</summary>
internal static class SettingChanges
{
    public static IReadOnlyList<string> Of(VirtualService current, VirtualService desired)
    {
        var changes = new List<string>();
        if (!string.Equals(current.Scheduler, desired.Scheduler, StringComparison.Ordinal))
        {
            changes.Add($"scheduler {current.Scheduler} -> {desired.Scheduler}");
        }
        // VirtualService.Flags holds neither IP_VS_SVC_F_HASHED nor IP_VS_SVC_F_PERSISTENT (the timeout says that).
        if (current.Flags != desired.Flags)
        {
            changes.Add($"flags {FormatFlags(current.Flags)} -> {FormatFlags(desired.Flags)}");
        }
        if (current.PersistenceTimeout != desired.PersistenceTimeout)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"persistence {current.PersistenceTimeout} -> {desired.PersistenceTimeout}"));
        }
        if (current.EffectiveNetmask != desired.EffectiveNetmask)
        {
            changes.Add($"netmask {current.EffectiveNetmask} -> {desired.EffectiveNetmask}");
        }
        string currentEngine = current.PersistenceEngine ?? string.Empty;
        string desiredEngine = desired.PersistenceEngine ?? string.Empty;
        if (!string.Equals(currentEngine, desiredEngine, StringComparison.Ordinal))
        {
            changes.Add($"persistence engine {OrNone(currentEngine)} -> {OrNone(desiredEngine)}");
        }
        return changes;
    }

    public static IReadOnlyList<string> Of(RealServer current, RealServer desired)
    {
        var changes = new List<string>();
        if (current.Forwarding != desired.Forwarding)
        {
            changes.Add($"forwarding {current.Forwarding} -> {desired.Forwarding}");
        }
        if (current.Weight != desired.Weight)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"weight {current.Weight} -> {desired.Weight}"));
        }
        if (current.UpperThreshold != desired.UpperThreshold)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"upper threshold {current.UpperThreshold} -> {desired.UpperThreshold}"));
        }
        if (current.LowerThreshold != desired.LowerThreshold)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"lower threshold {current.LowerThreshold} -> {desired.LowerThreshold}"));
        }
        // The kernel keeps tunnel settings only for tunnels; for other methods they mean nothing and are not compared.
        if (desired.Forwarding == ForwardingMethod.Tunnel)
        {
            if (current.TunnelType != desired.TunnelType)
            {
                changes.Add($"tunnel type {current.TunnelType} -> {desired.TunnelType}");
            }
            if (current.TunnelPort != desired.TunnelPort)
            {
                changes.Add(string.Create(CultureInfo.InvariantCulture, $"tunnel port {current.TunnelPort} -> {desired.TunnelPort}"));
            }
            if (current.TunnelFlags != desired.TunnelFlags)
            {
                changes.Add($"tunnel flags {current.TunnelFlags} -> {desired.TunnelFlags}");
            }
        }
        return changes;
    }

    private static string OrNone(string value) => value.Length == 0 ? "none" : value;

    private static string FormatFlags(ServiceFlags flags)
    {
        var names = new List<string>();
        if ((flags & ServiceFlags.OnePacket) != 0)
        {
            names.Add("one-packet");
        }
        if ((flags & ServiceFlags.SchedulerFlag1) != 0)
        {
            names.Add("flag-1");
        }
        if ((flags & ServiceFlags.SchedulerFlag2) != 0)
        {
            names.Add("flag-2");
        }
        if ((flags & ServiceFlags.SchedulerFlag3) != 0)
        {
            names.Add("flag-3");
        }
        return "[" + string.Join(' ', names) + "]";
    }
}
