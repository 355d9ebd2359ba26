using Netlink.Fuzz.Targets;

namespace Netlink.Fuzz;

/// <summary>Every target, by name; a target's seed corpus is corpus/NAME beside this project.</summary>
public static class FuzzTargets
{
    /// <summary>All targets, in the order tools/fuzz --list names them.</summary>
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new NetlinkCoreTarget(),
        ClientReplyTargets.Ipvs,
        ClientReplyTargets.NfTables,
        ClientReplyTargets.Conntrack,
        ClientReplyTargets.Route,
        ClientReplyTargets.IpSet,
        new IpvsadmTarget(),
        new IpvsadmRestoreTarget(),
        new ModelYamlTarget(),
        new IpvsdConfigTarget(),
        new IptablesSaveTarget(),
        new IpVsConnTarget(),
        new KubernetesWatchTarget(),
    ];

    /// <summary>The target called <paramref name="name"/>, or null.</summary>
    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
