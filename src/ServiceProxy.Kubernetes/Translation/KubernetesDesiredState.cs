using System.Net;
using k8s.Models;
using Netlink.Ipvs;
using ServiceProxy.Planning;
using ServiceProxy.Rules;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// The desired state of one node as the Kubernetes API describes it, kept up to date one object at a time: every
/// Service's <see cref="ServiceTranslation"/> by namespace and name, with the EndpointSlices that belong to it. A Service
/// or slice change translates that one Service again and compares it with its previous translation, so one
/// EndpointSlice change among 10,000 Services costs what it costs among 100 (kube-proxy recomputed everything on every
/// sync). The changes accumulate until <see cref="TakeChanges"/>, in the shape the reconciler takes, so a caller can
/// hold them back until the first complete list of Services and EndpointSlices has arrived.
/// <para>
/// Two Services asking for the same virtual server: the oldest (metadata.creationTimestamp, then namespace and name)
/// has it, whatever order they arrived in, and the conflict is reported. Not thread-safe: one thread feeds it.
/// </para>
/// </summary>
public sealed class KubernetesDesiredState
{
    private readonly KubernetesProxyOptions _options;
    private readonly Dictionary<ServiceName, Held> _services = [];
    private readonly Dictionary<ServiceName, Dictionary<string, V1EndpointSlice>> _slicesByService = [];
    private readonly Dictionary<(string Namespace, string Name), ServiceName> _sliceOwners = [];
    private readonly Dictionary<VirtualServiceKey, List<ServiceName>> _claims = [];
    private readonly Dictionary<VirtualServiceKey, DesiredService> _published = [];
    private readonly Dictionary<ServiceName, HealthCheckNodePort> _publishedHealth = [];
    private readonly OrderedSet<VirtualServiceKey> _touched = new();
    private readonly OrderedSet<ServiceName> _healthTouched = new();
    private readonly List<string> _problems = [];
    private bool _virtualIpsChanged;
    private bool _rulesChanged;
    private bool _hairpinChanged;

    /// <summary>An empty state for <paramref name="node"/>, translating with <paramref name="options"/>.</summary>
    public KubernetesDesiredState(KubernetesProxyOptions options, ProxyNode node)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(node);
        _options = options;
        Node = node;
    }

    /// <summary>The node translated for.</summary>
    public ProxyNode Node { get; private set; }

    /// <summary>How many Services this proxy serves (headless and ExternalName ones included, which ask for nothing).</summary>
    public int ServiceCount => _services.Count;

    /// <summary>Whether changes wait to be taken.</summary>
    public bool HasChanges => _touched.Count > 0 || _healthTouched.Count > 0 || _virtualIpsChanged || _rulesChanged || _hairpinChanged || _problems.Count > 0;

    /// <summary>The virtual IPs every Service together wants bound on the dummy interface, sorted (IPv4 first). Costs a walk over all Services.</summary>
    public IReadOnlyList<IPAddress> VirtualIps
    {
        get
        {
            var all = new SortedSet<IPAddress>(AddressOrder.Instance);
            foreach (Held held in _services.Values)
            {
                all.UnionWith(held.Translation.VirtualIps);
            }
            return [.. all];
        }
    }

    /// <summary>The service rules of every Service together, Services in name order. Costs a walk over all Services.</summary>
    public ServiceRules Rules => ServiceRules.Union(_services.OrderBy(s => s.Key).Select(s => s.Value.Translation.Rules));

    /// <summary>The local endpoints of every Service together (see <see cref="ServiceTranslation.HairpinEndpoints"/>), without duplicates. Costs a walk over all Services.</summary>
    public IReadOnlyList<VirtualIp> HairpinEndpoints =>
        [.. _services.OrderBy(s => s.Key).SelectMany(s => s.Value.Translation.HairpinEndpoints).Distinct()];

    /// <summary>The health check node ports of the Services that have one.</summary>
    public IReadOnlyDictionary<ServiceName, HealthCheckNodePort> HealthCheckNodePorts =>
        _services.Where(s => s.Value.Translation.HealthCheck is not null).ToDictionary(s => s.Key, s => s.Value.Translation.HealthCheck!);

    /// <summary>The translation of one Service, or null when it is not held.</summary>
    public ServiceTranslation? TranslationOf(ServiceName service) => _services.GetValueOrDefault(service)?.Translation;

    /// <summary>The virtual server desired now at <paramref name="key"/> (its oldest claimant's), or null.</summary>
    public DesiredService? Find(VirtualServiceKey key) =>
        _claims.TryGetValue(key, out List<ServiceName>? claimants) ? _services[Winner(claimants)].ByKey[key] : null;

    /// <summary>The whole desired table now, for a first or full sync: every virtual server once, as its oldest claimant wants it.</summary>
    public DesiredServiceTable ToTable() =>
        new(_claims.OrderBy(c => c.Key.ToString(), StringComparer.Ordinal).Select(c => _services[Winner(c.Value)].ByKey[c.Key]));

    /// <summary>Every virtual server more than one Service asks for now.</summary>
    public IReadOnlyList<ServiceConflict> Conflicts =>
        [.. _claims.Where(c => c.Value.Count > 1).Select(c => Conflict(c.Key, c.Value)).OrderBy(c => c.Key.ToString(), StringComparer.Ordinal)];

    /// <summary>
    /// A Service was added or modified (a watch's ADDED or MODIFIED, or an item of a list). One this proxy does not
    /// serve (<see cref="KubernetesProxyOptions.Selects"/>) counts as deleted.
    /// </summary>
    public void ServiceUpserted(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        ServiceName name = NameOf(service.Metadata);
        if (!_options.Selects(service.Metadata?.Labels))
        {
            ServiceDeleted(name);
            return;
        }
        Apply(name, Translate(name, service));
    }

    /// <summary>A Service was deleted (a watch's DELETED, or absent from a new list): its virtual servers go.</summary>
    public void ServiceDeleted(ServiceName service)
    {
        if (_services.ContainsKey(service))
        {
            Apply(service, null);
        }
    }

    /// <summary>A Service was deleted (a watch's DELETED carries the last state of the object).</summary>
    public void ServiceDeleted(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        ServiceDeleted(NameOf(service.Metadata));
    }

    /// <summary>
    /// An EndpointSlice was added or modified: it belongs to the Service its kubernetes.io/service-name label names, in
    /// its namespace, which is translated again if it is held (slices of Services not yet seen wait for them).
    /// </summary>
    public void EndpointSliceUpserted(V1EndpointSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        (string Namespace, string Name) id = (slice.Metadata?.NamespaceProperty ?? "", slice.Metadata?.Name ?? "");
        ServiceName? owner = slice.Metadata?.Labels is { } labels && labels.TryGetValue(EndpointSliceReader.ServiceNameLabel, out string? service)
            ? new ServiceName(id.Namespace, service)
            : null;
        if (_sliceOwners.TryGetValue(id, out ServiceName previous) && previous != owner)
        {
            Forget(id, previous);
        }
        if (owner is not ServiceName name)
        {
            return; // a slice of no Service: kube-proxy ignores it too
        }
        _sliceOwners[id] = name;
        if (!_slicesByService.TryGetValue(name, out Dictionary<string, V1EndpointSlice>? slices))
        {
            slices = new Dictionary<string, V1EndpointSlice>(StringComparer.Ordinal);
            _slicesByService.Add(name, slices);
        }
        slices[id.Name] = slice;
        Retranslate(name);
    }

    /// <summary>An EndpointSlice was deleted: its Service is translated again without it.</summary>
    public void EndpointSliceDeleted(string sliceNamespace, string sliceName)
    {
        ArgumentNullException.ThrowIfNull(sliceNamespace);
        ArgumentNullException.ThrowIfNull(sliceName);
        if (_sliceOwners.TryGetValue((sliceNamespace, sliceName), out ServiceName owner))
        {
            Forget((sliceNamespace, sliceName), owner);
        }
    }

    /// <summary>An EndpointSlice was deleted (a watch's DELETED carries the last state of the object).</summary>
    public void EndpointSliceDeleted(V1EndpointSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        EndpointSliceDeleted(slice.Metadata?.NamespaceProperty ?? "", slice.Metadata?.Name ?? "");
    }

    /// <summary>
    /// A complete list of Services arrived (the first list, or a new one after the watch's resourceVersion expired,
    /// 410 Gone): each is upserted, and every Service held that the list lacks is deleted, its deletion having been
    /// missed. Services that did not change cost their translation and report nothing.
    /// </summary>
    public void ServicesListed(IEnumerable<V1Service> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var listed = new HashSet<ServiceName>();
        foreach (V1Service service in services)
        {
            ArgumentNullException.ThrowIfNull(service);
            listed.Add(NameOf(service.Metadata));
            ServiceUpserted(service);
        }
        foreach (ServiceName gone in _services.Keys.Where(name => !listed.Contains(name)).ToList())
        {
            ServiceDeleted(gone);
        }
    }

    /// <summary>A complete list of EndpointSlices arrived: each is upserted, and every slice held that the list lacks is deleted.</summary>
    public void EndpointSlicesListed(IEnumerable<V1EndpointSlice> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        var listed = new HashSet<(string Namespace, string Name)>();
        foreach (V1EndpointSlice slice in slices)
        {
            ArgumentNullException.ThrowIfNull(slice);
            listed.Add((slice.Metadata?.NamespaceProperty ?? "", slice.Metadata?.Name ?? ""));
            EndpointSliceUpserted(slice);
        }
        foreach ((string Namespace, string Name) gone in _sliceOwners.Keys.Where(id => !listed.Contains(id)).ToList())
        {
            EndpointSliceDeleted(gone.Namespace, gone.Name);
        }
    }

    /// <summary>
    /// The node changed (its zone label, or the host's addresses): every Service is translated again, and only the
    /// virtual servers that differ are reported. Nothing happens when <paramref name="node"/> equals the current one.
    /// </summary>
    public void NodeChanged(ProxyNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Equals(Node))
        {
            return;
        }
        Node = node;
        foreach (ServiceName name in _services.Keys.ToList())
        {
            Retranslate(name);
        }
    }

    /// <summary>Takes the changes accumulated since the last call (or since the start), and starts accumulating anew.</summary>
    public DesiredStateChanges TakeChanges()
    {
        if (!HasChanges)
        {
            return DesiredStateChanges.None;
        }
        var changed = new List<DesiredService>();
        var removed = new List<VirtualServiceKey>();
        var conflicts = new List<ServiceConflict>();
        foreach (VirtualServiceKey key in _touched.Items)
        {
            if (_claims.TryGetValue(key, out List<ServiceName>? claimants))
            {
                DesiredService wanted = _services[Winner(claimants)].ByKey[key];
                if (!_published.TryGetValue(key, out DesiredService? given) || !given.Equals(wanted))
                {
                    _published[key] = wanted;
                    changed.Add(wanted);
                }
                if (claimants.Count > 1)
                {
                    conflicts.Add(Conflict(key, claimants));
                }
            }
            else if (_published.Remove(key))
            {
                removed.Add(key);
            }
        }
        var health = new List<HealthCheckNodePortChange>();
        foreach (ServiceName name in _healthTouched.Items)
        {
            HealthCheckNodePort? now = TranslationOf(name)?.HealthCheck;
            HealthCheckNodePort? before = _publishedHealth.GetValueOrDefault(name);
            if (Equals(now, before))
            {
                continue;
            }
            if (now is null)
            {
                _publishedHealth.Remove(name);
            }
            else
            {
                _publishedHealth[name] = now;
            }
            health.Add(new HealthCheckNodePortChange(name, now));
        }
        var changes = new DesiredStateChanges(changed, removed, _virtualIpsChanged, _rulesChanged, _hairpinChanged, health, conflicts, [.. _problems]);
        _touched.Clear();
        _healthTouched.Clear();
        _problems.Clear();
        _virtualIpsChanged = false;
        _rulesChanged = false;
        _hairpinChanged = false;
        return changes;
    }

    private void Forget((string Namespace, string Name) id, ServiceName owner)
    {
        _sliceOwners.Remove(id);
        if (_slicesByService.TryGetValue(owner, out Dictionary<string, V1EndpointSlice>? slices) && slices.Remove(id.Name))
        {
            if (slices.Count == 0)
            {
                _slicesByService.Remove(owner);
            }
            Retranslate(owner);
        }
    }

    private void Retranslate(ServiceName name)
    {
        if (_services.TryGetValue(name, out Held? held))
        {
            Apply(name, Translate(name, held.Service));
        }
    }

    private Held Translate(ServiceName name, V1Service service)
    {
        IEnumerable<V1EndpointSlice> slices = _slicesByService.TryGetValue(name, out Dictionary<string, V1EndpointSlice>? held) ? held.Values : [];
        ServiceTranslation translation = ServiceTranslator.Translate(service, slices, Node, _options);
        return new Held(service, service.Metadata?.CreationTimestamp ?? DateTime.MaxValue, translation);
    }

    /// <summary>Replaces a Service's translation (null: removes it) and notes which virtual servers, addresses, rules and health checks that touches.</summary>
    private void Apply(ServiceName name, Held? next)
    {
        Held? previous = _services.GetValueOrDefault(name);
        if (next is null)
        {
            _services.Remove(name);
        }
        else
        {
            _services[name] = next;
        }
        if (previous is not null)
        {
            foreach (VirtualServiceKey key in previous.ByKey.Keys)
            {
                if (next is null || !next.ByKey.ContainsKey(key))
                {
                    Unclaim(key, name);
                }
            }
        }
        if (next is not null)
        {
            foreach ((VirtualServiceKey key, DesiredService service) in next.ByKey)
            {
                if (previous is null || !previous.ByKey.TryGetValue(key, out DesiredService? before))
                {
                    Claim(key, name);
                }
                else if (!before.Equals(service) || previous.Created != next.Created)
                {
                    _touched.Add(key);
                }
            }
        }
        ServiceTranslation? was = previous?.Translation;
        ServiceTranslation? now = next?.Translation;
        if (!(was?.VirtualIps ?? []).SequenceEqual(now?.VirtualIps ?? []))
        {
            _virtualIpsChanged = true;
        }
        if (!Equals(was?.Rules ?? ServiceRules.Empty, now?.Rules ?? ServiceRules.Empty))
        {
            _rulesChanged = true;
        }
        if (!(was?.HairpinEndpoints ?? []).SequenceEqual(now?.HairpinEndpoints ?? []))
        {
            _hairpinChanged = true;
        }
        if (!Equals(was?.HealthCheck, now?.HealthCheck))
        {
            _healthTouched.Add(name);
        }
        if (now is { Problems.Count: > 0 } && (was is null || !was.Problems.SequenceEqual(now.Problems)))
        {
            _problems.AddRange(now.Problems);
        }
    }

    private void Claim(VirtualServiceKey key, ServiceName name)
    {
        if (!_claims.TryGetValue(key, out List<ServiceName>? claimants))
        {
            claimants = new List<ServiceName>(1);
            _claims.Add(key, claimants);
        }
        claimants.Add(name);
        _touched.Add(key);
    }

    private void Unclaim(VirtualServiceKey key, ServiceName name)
    {
        if (_claims.TryGetValue(key, out List<ServiceName>? claimants))
        {
            claimants.Remove(name);
            if (claimants.Count == 0)
            {
                _claims.Remove(key);
            }
        }
        _touched.Add(key);
    }

    /// <summary>The oldest claimant: earliest creation, then namespace and name.</summary>
    private ServiceName Winner(List<ServiceName> claimants)
    {
        ServiceName winner = claimants[0];
        for (int i = 1; i < claimants.Count; i++)
        {
            if (Older(claimants[i], winner))
            {
                winner = claimants[i];
            }
        }
        return winner;
    }

    private bool Older(ServiceName a, ServiceName b)
    {
        int byAge = _services[a].Created.CompareTo(_services[b].Created);
        return byAge != 0 ? byAge < 0 : a < b;
    }

    private ServiceConflict Conflict(VirtualServiceKey key, List<ServiceName> claimants)
    {
        ServiceName winner = Winner(claimants);
        List<ServiceName> losers = [.. claimants.Where(c => c != winner)];
        losers.Sort((a, b) => Older(a, b) ? -1 : Older(b, a) ? 1 : 0);
        return new ServiceConflict(key, winner, losers);
    }

    private static ServiceName NameOf(V1ObjectMeta? metadata) => new(metadata?.NamespaceProperty ?? "", metadata?.Name ?? "");

    /// <summary>A held Service: the object, when it was created, and its translation indexed by virtual server.</summary>
    private sealed class Held
    {
        public Held(V1Service service, DateTime created, ServiceTranslation translation)
        {
            Service = service;
            Created = created;
            Translation = translation;
            ByKey = new Dictionary<VirtualServiceKey, DesiredService>(translation.Services.Count);
            foreach (DesiredService desired in translation.Services)
            {
                ByKey.Add(desired.Service.Key, desired);
            }
        }

        public V1Service Service { get; }

        public DateTime Created { get; }

        public ServiceTranslation Translation { get; }

        public Dictionary<VirtualServiceKey, DesiredService> ByKey { get; }
    }

    /// <summary>A set that remembers the order items were first added in, so that changes come out in event order.</summary>
    private sealed class OrderedSet<T>
        where T : notnull
    {
        private readonly HashSet<T> _members = [];

        public List<T> Items { get; } = [];

        public int Count => Items.Count;

        public void Add(T item)
        {
            if (_members.Add(item))
            {
                Items.Add(item);
            }
        }

        public void Clear()
        {
            _members.Clear();
            Items.Clear();
        }
    }
}
