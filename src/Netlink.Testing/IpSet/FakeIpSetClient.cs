using Netlink.Netfilter.IpSet;

namespace Netlink.Testing.IpSet;

/// <summary>
/// An in-memory stand-in for the kernel's IP sets behind <see cref="IIpSetClient"/>, refusing what the kernel refuses
/// with the same error numbers (a second set of a name, a strict add of a present element, a swap of unlike sets, a
/// set that does not exist). Batches stop at the first refusal, with the operations before it done. Every operation
/// carried out is counted in <see cref="Operations"/>.
/// </summary>
public sealed class FakeIpSetClient : IIpSetClient
{
    private readonly Dictionary<string, (IpSetDefinition Definition, HashSet<IpSetEntry> Entries)> _sets = new(StringComparer.Ordinal);

    /// <summary>Every operation carried out, in order.</summary>
    public List<IpSetOperation> Operations { get; } = [];

    /// <summary>The elements of <paramref name="name"/>, or null when there is no such set.</summary>
    public IReadOnlySet<IpSetEntry>? Elements(string name) => _sets.TryGetValue(name, out var set) ? set.Entries : null;

    /// <summary>The names of the sets, sorted.</summary>
    public IEnumerable<string> Names => _sets.Keys.Order(StringComparer.Ordinal);

    /// <inheritdoc />
    public void Create(IpSetDefinition definition, bool ifMissing = false) => Run(new IpSetOperation(IpSetCommand.Create, definition.Name, ifMissing) { Definition = definition });

    /// <inheritdoc />
    public void Destroy(string name) => Run(new IpSetOperation(IpSetCommand.Destroy, name));

    /// <inheritdoc />
    public void Flush(string name) => Run(new IpSetOperation(IpSetCommand.Flush, name));

    /// <inheritdoc />
    public void Rename(string name, string newName) => Run(new IpSetOperation(IpSetCommand.Rename, name) { OtherSetName = newName });

    /// <inheritdoc />
    public void Swap(string first, string second) => Run(new IpSetOperation(IpSetCommand.Swap, first) { OtherSetName = second });

    /// <inheritdoc />
    public void Add(string setName, IpSetEntry entry, bool ifMissing = false) => Run(new IpSetOperation(IpSetCommand.Add, setName, ifMissing) { Entry = entry });

    /// <inheritdoc />
    public void Delete(string setName, IpSetEntry entry, bool ifPresent = false) => Run(new IpSetOperation(IpSetCommand.Delete, setName, ifPresent) { Entry = entry });

    /// <inheritdoc />
    public bool Test(string setName, IpSetEntry entry) => Get(setName, "test element", $"{entry} in set {setName}").Entries.Contains(entry);

    /// <inheritdoc />
    public IReadOnlyList<IpSetListing> List(string? name = null, bool headersOnly = false)
    {
        if (name is not null)
        {
            Get(name, "list set", name);
        }
        return [.. _sets.Where(s => name is null || s.Key == name).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s =>
            new IpSetListing(s.Key, s.Value.Definition.Type.Name(), s.Value.Definition.Family, 1)
            {
                ElementCount = (uint)s.Value.Entries.Count,
                Entries = headersOnly ? [] : [.. s.Value.Entries],
            })];
    }

    /// <inheritdoc />
    public int Execute(IpSetBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (IpSetOperation operation in batch.Operations)
        {
            Run(operation);
        }
        return batch.Count;
    }

    /// <inheritdoc />
    public byte Revision(IpSetType type, IpSetFamily family) => 1;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void Run(IpSetOperation operation)
    {
        string name = operation.SetName;
        switch (operation.Command)
        {
            case IpSetCommand.Create:
                IpSetDefinition definition = operation.Definition!;
                if (_sets.TryGetValue(name, out var existing))
                {
                    if (!operation.Tolerant)
                    {
                        throw new IpSetException(Errno.EEXIST, "create set", name);
                    }
                    if (existing.Definition.Type != definition.Type || existing.Definition.Family != definition.Family)
                    {
                        throw new IpSetException(4103, "create set", name);
                    }
                }
                else
                {
                    _sets[name] = (definition, []);
                }
                break;
            case IpSetCommand.Destroy:
                Get(name, "destroy set", name);
                _sets.Remove(name);
                break;
            case IpSetCommand.Flush:
                Get(name, "flush set", name).Entries.Clear();
                break;
            case IpSetCommand.Rename:
                var renamed = Get(name, "rename set", name);
                if (_sets.ContainsKey(operation.OtherSetName!))
                {
                    throw new IpSetException(4101, "rename set", $"{name} to {operation.OtherSetName}");
                }
                _sets.Remove(name);
                _sets[operation.OtherSetName!] = (renamed.Definition with { Name = operation.OtherSetName! }, renamed.Entries);
                break;
            case IpSetCommand.Swap:
                var first = Get(name, "swap sets", name);
                if (!_sets.TryGetValue(operation.OtherSetName!, out var second))
                {
                    throw new IpSetException(4101, "swap sets", $"{name} and {operation.OtherSetName}");
                }
                if (first.Definition.Type != second.Definition.Type || first.Definition.Family != second.Definition.Family)
                {
                    throw new IpSetException(4102, "swap sets", $"{name} and {operation.OtherSetName}");
                }
                _sets[name] = (first.Definition, second.Entries);
                _sets[operation.OtherSetName!] = (second.Definition, first.Entries);
                break;
            case IpSetCommand.Add:
                var into = Get(name, "add element", $"{operation.Entry} to set {name}");
                if (!operation.Entry!.Fits(into.Definition.Type) || (into.Definition.Family != IpSetFamily.Unspecified && operation.Entry.Family != into.Definition.Family))
                {
                    throw new IpSetException(4097, "add element", $"{operation.Entry} to set {name}");
                }
                if (!into.Entries.Add(operation.Entry) && !operation.Tolerant)
                {
                    throw new IpSetException(4103, "add element", $"{operation.Entry} to set {name}");
                }
                break;
            case IpSetCommand.Delete:
                if (!Get(name, "delete element", $"{operation.Entry} from set {name}").Entries.Remove(operation.Entry!) && !operation.Tolerant)
                {
                    throw new IpSetException(4103, "delete element", $"{operation.Entry} from set {name}");
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation.Command, "not an ipset command");
        }
        Operations.Add(operation);
    }

    private (IpSetDefinition Definition, HashSet<IpSetEntry> Entries) Get(string name, string operation, string target) =>
        _sets.TryGetValue(name, out var set) ? set : throw new IpSetException(Errno.ENOENT, operation, target);
}
