using Netlink.Ipvs;
using ServiceProxy.Planning;

namespace ServiceProxy.Model;

/// <summary>
/// What <see cref="ServiceModelFiles.Update"/> did: either nothing (the change was invalid: <see cref="Diagnostics"/>
/// say why, and the files' table is the one from before), or the services whose desired settings changed.
/// </summary>
/// <param name="Diagnostics">Every problem found; empty when the update was taken.</param>
/// <param name="Changed">Services added or edited by the update, as they are now desired.</param>
/// <param name="Removed">Services no file defines any more.</param>
/// <param name="TimeoutsChanged">Whether the desired timeouts changed (set, cleared or edited).</param>
public sealed record ModelFilesUpdate(
    IReadOnlyList<ModelDiagnostic> Diagnostics,
    IReadOnlyList<DesiredService> Changed,
    IReadOnlyList<VirtualServiceKey> Removed,
    bool TimeoutsChanged)
{
    /// <summary>Whether the update was valid and taken.</summary>
    public bool IsValid => Diagnostics.Count == 0;

    /// <summary>Whether the update was taken and changed nothing.</summary>
    public bool IsEmpty => IsValid && Changed.Count == 0 && Removed.Count == 0 && !TimeoutsChanged;
}
