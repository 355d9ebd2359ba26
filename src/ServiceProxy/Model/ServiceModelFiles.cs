using Netlink.Ipvs;
using ServiceProxy.Planning;

namespace ServiceProxy.Model;

/// <summary>
/// The desired table kept as the model files that define it, updated a file at a time: a changed file is read again
/// and only its services are compared with what they were, so a daemon watching a directory of 10,000 service files
/// spends on one edit the work of one file, not of the directory. Each update is all or nothing: when any changed
/// file is invalid, or a service or the timeouts end up defined in two files, nothing is taken and the table stays
/// as it was. Not thread-safe.
/// </summary>
public sealed class ServiceModelFiles
{
    private readonly ParameterSet? _parameters;
    private readonly Dictionary<string, ModelFile> _files = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Dictionary<VirtualServiceKey, string> _definedIn = [];
    private string? _timeoutsFile;

    /// <summary>An empty set of files; <paramref name="parameters"/> substitutes ${parameters} in every file read.</summary>
    public ServiceModelFiles(ParameterSet? parameters = null) => _parameters = parameters;

    /// <summary>How many services the files define.</summary>
    public int ServiceCount => _definedIn.Count;

    /// <summary>The names of the files held, in the order they were first added.</summary>
    public IReadOnlyList<string> FileNames => _order;

    /// <summary>The desired settings of one service, or null when no file defines it.</summary>
    public DesiredService? Find(VirtualServiceKey key) =>
        _definedIn.TryGetValue(key, out string? file) ? _files[file].Services[key] : null;

    /// <summary>The timeouts one of the files sets, or null.</summary>
    public IpvsTimeouts? Timeouts => _timeoutsFile is null ? null : _files[_timeoutsFile].Timeouts;

    /// <summary>The whole table: the files' services in file order (first added first), each file's in its own order.</summary>
    public DesiredServiceTable ToTable() =>
        new(_order.SelectMany(name => _files[name].Services.Values), Timeouts);

    /// <summary>
    /// Reads <paramref name="changed"/> (new files, or new texts of files held) and forgets <paramref name="removed"/>
    /// (names of files that are gone), then checks the result as a whole. Touches no kernel.
    /// </summary>
    public ModelFilesUpdate Update(IEnumerable<ModelSource> changed, IEnumerable<string>? removed = null)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var diagnostics = new List<ModelDiagnostic>();
        var read = new List<(string Name, ModelFile File)>();
        foreach (ModelSource source in changed)
        {
            ArgumentNullException.ThrowIfNull(source);
            ModelFile? file = ModelFile.Read(source, _parameters, diagnostics);
            if (file is not null)
            {
                read.Add((source.Name, file));
            }
        }
        var gone = new HashSet<string>(removed ?? [], StringComparer.Ordinal);
        foreach ((string name, _) in read)
        {
            gone.Remove(name);
        }
        var replaced = new HashSet<string>(read.Select(r => r.Name), StringComparer.Ordinal);
        replaced.UnionWith(gone.Where(_files.ContainsKey));
        CheckConflicts(read, replaced, diagnostics);
        if (diagnostics.Count > 0)
        {
            return Refused(diagnostics);
        }
        return Take(read, replaced);
    }

    private void CheckConflicts(List<(string Name, ModelFile File)> read, HashSet<string> replaced, List<ModelDiagnostic> diagnostics)
    {
        // Where each key is defined once the update is taken: files not replaced keep theirs, then the files read
        // claim theirs in the order given, so "first" in a message is the file that holds it now or came first.
        var claimed = new Dictionary<VirtualServiceKey, (string Name, int Line)>();
        (string Name, int Line)? timeouts = null;
        if (_timeoutsFile is not null && !replaced.Contains(_timeoutsFile))
        {
            timeouts = (_timeoutsFile, _files[_timeoutsFile].TimeoutsLine);
        }
        foreach ((string name, ModelFile file) in read)
        {
            foreach ((VirtualServiceKey key, DesiredService service) in file.Services)
            {
                int line = file.Lines.GetValueOrDefault(key);
                (string Name, int Line)? first = null;
                if (claimed.TryGetValue(key, out (string Name, int Line) earlier))
                {
                    first = earlier;
                }
                else if (_definedIn.TryGetValue(key, out string? holder) && !replaced.Contains(holder))
                {
                    first = (holder, _files[holder].Lines.GetValueOrDefault(key));
                }
                if (first is { } at)
                {
                    diagnostics.Add(new ModelDiagnostic(ModelDiagnosticKind.Invalid, name, line, 0,
                        $"service {AddressSyntax.Format(service.Service.Key)} is defined in {at.Name} (line {at.Line}) and again in {name} (line {line}): keep one of them"));
                    continue;
                }
                claimed.Add(key, (name, line));
            }
            if (file.Timeouts is not null)
            {
                if (timeouts is { } set)
                {
                    diagnostics.Add(new ModelDiagnostic(ModelDiagnosticKind.Invalid, name, file.TimeoutsLine, 0,
                        $"timeouts are set in {set.Name} (line {set.Line}) and again in {name} (line {file.TimeoutsLine}): set them in one file"));
                }
                else
                {
                    timeouts = (name, file.TimeoutsLine);
                }
            }
        }
    }

    private ModelFilesUpdate Take(List<(string Name, ModelFile File)> read, HashSet<string> replaced)
    {
        IpvsTimeouts? timeoutsBefore = Timeouts;
        var before = new Dictionary<VirtualServiceKey, DesiredService>();
        var readNames = new HashSet<string>(read.Select(r => r.Name), StringComparer.Ordinal);
        var newNames = new HashSet<string>(readNames.Where(name => !_files.ContainsKey(name)), StringComparer.Ordinal);
        foreach (string name in replaced)
        {
            if (_files.Remove(name, out ModelFile? old))
            {
                foreach ((VirtualServiceKey key, DesiredService service) in old.Services)
                {
                    before[key] = service;
                    _definedIn.Remove(key);
                }
            }
        }
        if (_timeoutsFile is not null && replaced.Contains(_timeoutsFile))
        {
            _timeoutsFile = null;
        }
        if (replaced.Count > readNames.Count)
        {
            _order.RemoveAll(name => replaced.Contains(name) && !readNames.Contains(name));
        }

        var changed = new List<DesiredService>();
        foreach ((string name, ModelFile file) in read)
        {
            if (newNames.Contains(name))
            {
                _order.Add(name);
            }
            _files[name] = file;
            if (file.Timeouts is not null)
            {
                _timeoutsFile = name;
            }
            foreach ((VirtualServiceKey key, DesiredService service) in file.Services)
            {
                _definedIn[key] = name;
                if (!before.Remove(key, out DesiredService? old) || !old.Equals(service))
                {
                    changed.Add(service);
                }
            }
        }
        return new ModelFilesUpdate([], changed, [.. before.Keys], !Equals(timeoutsBefore, Timeouts));
    }

    private static ModelFilesUpdate Refused(List<ModelDiagnostic> diagnostics) => new(diagnostics, [], [], false);
}
