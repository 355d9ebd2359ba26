using System.Net;
using System.Net.Sockets;
using k8s.Models;
using Netlink.Ipvs;
using ServiceProxy.Planning;
using ServiceProxy.Rules;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// Turns one Service with its EndpointSlices into what it asks of one node (<see cref="ServiceTranslation"/>), as
/// kube-proxy's IPVS mode does. A pure function: the same objects give the same answer, in the same order, and nothing
/// is read from the host or the API. Data the API server would not have accepted, or that IPVS cannot use (an address
/// that does not parse, port 0), is skipped with a sentence in <see cref="ServiceTranslation.Problems"/>; it never throws
/// for the objects' contents.
/// </summary>
public static class ServiceTranslator
{
    /// <summary>The API's default of sessionAffinityConfig.clientIP.timeoutSeconds: three hours.</summary>
    public const uint DefaultAffinityTimeoutSeconds = 10800;

    /// <summary>
    /// Translates <paramref name="service"/> with <paramref name="slices"/> (its EndpointSlices; others are skipped) for
    /// <paramref name="node"/>:
    /// <list type="bullet">
    /// <item>Nothing for a Service this proxy does not serve (<see cref="KubernetesProxyOptions.Selects"/>), a headless one
    /// (clusterIP "None" or empty) or an ExternalName one.</item>
    /// <item>For each family of spec.clusterIPs and each port: a virtual server on the cluster IP; one on each node port
    /// address of that family when the port has a nodePort; one on each external IP and each load balancer ingress IP
    /// (ipMode VIP or unset) of that family. Scheduler from the options (mh with its source-port flag); sessionAffinity
    /// ClientIP makes every one persistent for its timeout. Real servers: masquerading, weight 1.</item>
    /// <item>Which endpoints: the slice port with the Service port's name and protocol; cluster IPs use the local ones
    /// only with internalTrafficPolicy Local, node ports, external and load balancer IPs only with
    /// externalTrafficPolicy Local; in both cases all (usable) endpoints when none is local, as kube-proxy's IPVS mode
    /// falls back (kubernetes #97081: pods on a node without a local endpoint can still reach the Service).</item>
    /// </list>
    /// </summary>
    public static ServiceTranslation Translate(V1Service service, IEnumerable<V1EndpointSlice> slices, ProxyNode node, KubernetesProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        var name = new ServiceName(service.Metadata?.NamespaceProperty ?? "", service.Metadata?.Name ?? "");
        V1ServiceSpec? spec = service.Spec;
        if (spec is null || !options.Selects(service.Metadata?.Labels) || spec.Type == "ExternalName"
            || string.IsNullOrEmpty(spec.ClusterIP) || spec.ClusterIP == "None")
        {
            return ServiceTranslation.Nothing(name);
        }
        var builder = new Builder(name, spec, node, options);
        builder.ReadService(service.Status);
        builder.AddPorts(EndpointSliceReader.Read(name, slices, builder.Problems));
        return builder.Build();
    }

    /// <summary>The state of one translation.</summary>
    private sealed class Builder
    {
        private readonly ServiceName _name;
        private readonly V1ServiceSpec _spec;
        private readonly ProxyNode _node;
        private readonly KubernetesProxyOptions _options;
        private readonly List<DesiredService> _services = [];
        private readonly HashSet<VirtualServiceKey> _keys = [];
        private readonly SortedSet<IPAddress> _bind = new(AddressOrder.Instance);
        private readonly UniqueList<VirtualIpRule> _virtualIpRules = new();
        private readonly UniqueList<NodePortRule> _nodePortRules = new();
        private readonly UniqueList<SourceRangeRule> _sourceRanges = new();
        private readonly UniqueList<VirtualIp> _hairpin = new();
        private readonly HashSet<IPAddress> _localReady = [];
        private readonly List<IPAddress> _clusterIps = [];
        private readonly List<IPAddress> _externalIps = [];
        private readonly List<IPAddress> _loadBalancerIps = [];
        private readonly List<IPNetwork> _allowedSources = [];
        private readonly bool _internalLocal;
        private readonly bool _externalLocal;
        private uint _persistence;

        public Builder(ServiceName name, V1ServiceSpec spec, ProxyNode node, KubernetesProxyOptions options)
        {
            _name = name;
            _spec = spec;
            _node = node;
            _options = options;
            _internalLocal = spec.InternalTrafficPolicy == "Local";
            // Only a Service reachable from outside has an external policy (kube-proxy's ExternalPolicyLocal).
            bool reachableFromOutside = spec.Type is "NodePort" or "LoadBalancer"
                || (spec.Type is null or "ClusterIP" && spec.ExternalIPs is { Count: > 0 });
            _externalLocal = reachableFromOutside && spec.ExternalTrafficPolicy == "Local";
        }

        public List<string> Problems { get; } = [];

        public void ReadService(V1ServiceStatus? status)
        {
            IList<string> clusterIps = _spec.ClusterIPs is { Count: > 0 } ips ? ips : [_spec.ClusterIP];
            for (int i = 0; i < clusterIps.Count; i++)
            {
                if (ParseAddress(clusterIps[i], $"clusterIPs[{i}]") is { } ip)
                {
                    if (_clusterIps.Any(c => c.AddressFamily == ip.AddressFamily))
                    {
                        Problems.Add($"{_name}: clusterIPs[{i}] {ip} is a second cluster IP of its family: skipped");
                        continue;
                    }
                    _clusterIps.Add(ip);
                }
            }
            for (int i = 0; i < (_spec.ExternalIPs?.Count ?? 0); i++)
            {
                if (ParseAddress(_spec.ExternalIPs![i], $"externalIPs[{i}]") is { } ip)
                {
                    _externalIps.Add(ip);
                }
            }
            IList<V1LoadBalancerIngress> ingress = status?.LoadBalancer?.Ingress ?? [];
            for (int i = 0; i < ingress.Count; i++)
            {
                if (ingress[i] is null)
                {
                    continue;
                }
                // A hostname-only ingress has no IP to serve; ipMode Proxy means the load balancer delivers to the
                // node ports itself, so the IP must not be captured here (KEP-1860).
                if (string.IsNullOrEmpty(ingress[i].Ip) || ingress[i].IpMode is not (null or "VIP"))
                {
                    continue;
                }
                if (ParseAddress(ingress[i].Ip, $"status.loadBalancer.ingress[{i}].ip") is { } ip)
                {
                    _loadBalancerIps.Add(ip);
                }
            }
            for (int i = 0; i < (_spec.LoadBalancerSourceRanges?.Count ?? 0); i++)
            {
                string range = _spec.LoadBalancerSourceRanges![i];
                if (Cidr.TryParse(range, out IPNetwork network))
                {
                    _allowedSources.Add(network);
                }
                else
                {
                    Problems.Add($"{_name}: loadBalancerSourceRanges[{i}] '{range}' is not a CIDR: skipped");
                }
            }
            if (_spec.SessionAffinity == "ClientIP")
            {
                int? timeout = _spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds;
                if (timeout is < 1)
                {
                    Problems.Add($"{_name}: sessionAffinityConfig.clientIP.timeoutSeconds {timeout} is not positive: {DefaultAffinityTimeoutSeconds} is used");
                    timeout = null;
                }
                _persistence = timeout is int seconds ? (uint)seconds : DefaultAffinityTimeoutSeconds;
            }
        }

        public void AddPorts(EndpointSliceReader endpoints)
        {
            IList<V1ServicePort> ports = _spec.Ports ?? [];
            foreach (IPAddress clusterIp in _clusterIps)
            {
                AddressFamily family = clusterIp.AddressFamily;
                for (int i = 0; i < ports.Count; i++)
                {
                    V1ServicePort? port = ports[i];
                    if (port is null)
                    {
                        continue;
                    }
                    string portName = port.Name ?? "";
                    if (!ServiceProtocols.TryParse(port.Protocol, out IpvsProtocol ipvsProtocol, out ServiceProtocol ruleProtocol))
                    {
                        ProblemOnce($"{_name}: port '{portName}' has protocol '{port.Protocol}', which IPVS does not serve: skipped");
                        continue;
                    }
                    if (port.Port is < 1 or > 65535)
                    {
                        ProblemOnce($"{_name}: port '{portName}' has number {port.Port}: skipped");
                        continue;
                    }
                    ushort nodePort = 0;
                    if (port.NodePort is int number and not 0)
                    {
                        if (number is >= 1 and <= 65535)
                        {
                            nodePort = (ushort)number;
                        }
                        else
                        {
                            ProblemOnce($"{_name}: port '{portName}' has node port {number}: no node port");
                        }
                    }
                    var target = new PortTarget((ushort)port.Port, ipvsProtocol, ruleProtocol, nodePort);
                    IReadOnlyList<ServiceEndpoint> all = endpoints.For(portName, port.Protocol ?? ServiceProtocols.Default);
                    AddPort(clusterIp, family, target, [.. all.Where(e => e.Address.AddressFamily == family)]);
                }
            }
        }

        private void AddPort(IPAddress clusterIp, AddressFamily family, PortTarget port, IReadOnlyList<ServiceEndpoint> endpoints)
        {
            IPAddress[] nodePortAddresses = port.NodePort == 0 ? [] : [.. _node.NodePortAddresses.Where(a => a.AddressFamily == family)];
            IPAddress[] externalIps = [.. _externalIps.Where(a => a.AddressFamily == family)];
            IPAddress[] loadBalancerIps = [.. _loadBalancerIps.Where(a => a.AddressFamily == family)];
            bool reachableFromOutside = port.NodePort != 0 || externalIps.Length > 0 || loadBalancerIps.Length > 0;
            bool usesCluster = !_internalLocal || reachableFromOutside;
            bool usesLocal = _internalLocal || (_externalLocal && reachableFromOutside);
            (IReadOnlyList<ServiceEndpoint> cluster, IReadOnlyList<ServiceEndpoint> local) = EndpointChooser.Choose(endpoints, usesCluster, usesLocal, _node);
            foreach (ServiceEndpoint endpoint in endpoints)
            {
                if (endpoint.Ready && endpoint.IsOn(_node.Name))
                {
                    _localReady.Add(endpoint.Address);
                }
            }
            IReadOnlyList<ServiceEndpoint> internalEndpoints = _internalLocal && local.Count > 0 ? local : cluster;
            IReadOnlyList<ServiceEndpoint> externalEndpoints = _externalLocal && local.Count > 0 ? local : cluster;
            RealServer[] internalServers = RealServers(internalEndpoints);
            RealServer[] externalServers = ReferenceEquals(internalEndpoints, externalEndpoints) ? internalServers : RealServers(externalEndpoints);
            foreach (ServiceEndpoint endpoint in internalEndpoints.Concat(externalEndpoints))
            {
                if (endpoint.IsOn(_node.Name))
                {
                    _hairpin.Add(new VirtualIp(endpoint.Address, port.RuleProtocol, endpoint.Port));
                }
            }

            Add(clusterIp, port.Number, port, internalServers);
            _bind.Add(clusterIp);
            _virtualIpRules.Add(new VirtualIpRule(new VirtualIp(clusterIp, port.RuleProtocol, port.Number), VirtualIpKind.ClusterIp, false));
            if (port.NodePort != 0)
            {
                foreach (IPAddress address in nodePortAddresses)
                {
                    Add(address, port.NodePort, port, externalServers);
                }
                _nodePortRules.Add(new NodePortRule(new NodePort(port.RuleProtocol, port.NodePort), _externalLocal));
            }
            foreach (IPAddress address in externalIps)
            {
                Add(address, port.Number, port, externalServers);
                BindUnlessNodeAddress(address);
                _virtualIpRules.Add(new VirtualIpRule(new VirtualIp(address, port.RuleProtocol, port.Number), VirtualIpKind.ExternalIp, _externalLocal));
            }
            IPNetwork[] ranges = [.. _allowedSources.Where(r => r.BaseAddress.AddressFamily == family)];
            foreach (IPAddress address in loadBalancerIps)
            {
                Add(address, port.Number, port, externalServers);
                BindUnlessNodeAddress(address);
                var vip = new VirtualIp(address, port.RuleProtocol, port.Number);
                _virtualIpRules.Add(new VirtualIpRule(vip, VirtualIpKind.LoadBalancerIp, _externalLocal));
                if (ranges.Length > 0)
                {
                    bool nodeAllowed = ranges.Any(r => _node.NodeAddresses.Any(r.Contains));
                    _sourceRanges.Add(new SourceRangeRule(vip, ranges, nodeAllowed));
                }
            }
        }

        public ServiceTranslation Build()
        {
            HealthCheckNodePort? health = null;
            if (_spec.Type == "LoadBalancer" && _externalLocal && _spec.HealthCheckNodePort is int port)
            {
                if (port is >= 1 and <= 65535)
                {
                    health = new HealthCheckNodePort((ushort)port, _localReady.Count);
                }
                else
                {
                    Problems.Add($"{_name}: healthCheckNodePort {port} is not a port: no health check");
                }
            }
            return new ServiceTranslation(_name, _services, [.. _bind],
                new ServiceRules(_virtualIpRules.Items, _nodePortRules.Items, _sourceRanges.Items), health, Problems)
            {
                HairpinEndpoints = _hairpin.Items,
            };
        }

        private void Add(IPAddress address, ushort port, PortTarget target, RealServer[] realServers)
        {
            VirtualServiceKey key = VirtualServiceKey.ForAddress(target.IpvsProtocol, address, port);
            if (!_keys.Add(key))
            {
                Problems.Add($"{_name}: {key} is asked for twice (a node, external or load balancer IP repeated): the first is kept");
                return;
            }
            var service = new VirtualService(key)
            {
                Scheduler = _options.Scheduler,
                Flags = _options.Scheduler == "mh" ? ServiceFlags.MaglevHashPort : ServiceFlags.None,
                PersistenceTimeout = _persistence,
            };
            _services.Add(new DesiredService(service, realServers));
        }

        private void BindUnlessNodeAddress(IPAddress address)
        {
            // An address some other interface holds already (a cloud load balancer IP on eth0) stays there: binding
            // it to the dummy interface too would take it over when the Service goes.
            if (!_node.NodeAddresses.Contains(address))
            {
                _bind.Add(address);
            }
        }

        private IPAddress? ParseAddress(string? text, string field)
        {
            if (text is not null && IpText.TryParse(text, out IPAddress ip))
            {
                return ip;
            }
            Problems.Add($"{_name}: {field} '{text}' is not an IP address: skipped");
            return null;
        }

        /// <summary>A problem with a port is met once per cluster IP family; say it once.</summary>
        private void ProblemOnce(string problem)
        {
            if (!Problems.Contains(problem))
            {
                Problems.Add(problem);
            }
        }

        private static RealServer[] RealServers(IReadOnlyList<ServiceEndpoint> endpoints)
        {
            var servers = new RealServer[endpoints.Count];
            for (int i = 0; i < servers.Length; i++)
            {
                servers[i] = new RealServer(endpoints[i].Address, endpoints[i].Port) { Forwarding = ForwardingMethod.Masquerade, Weight = 1 };
            }
            Array.Sort(servers, static (a, b) =>
            {
                int byAddress = AddressOrder.Instance.Compare(a.Address, b.Address);
                return byAddress != 0 ? byAddress : a.Port.CompareTo(b.Port);
            });
            return servers;
        }
    }

    /// <summary>A Service port as the translation uses it.</summary>
    private sealed record PortTarget(ushort Number, IpvsProtocol IpvsProtocol, ServiceProtocol RuleProtocol, ushort NodePort);

    /// <summary>A list that keeps each item once, in the order first added.</summary>
    private sealed class UniqueList<T>
        where T : notnull
    {
        private readonly HashSet<T> _seen = [];

        public List<T> Items { get; } = [];

        public void Add(T item)
        {
            if (_seen.Add(item))
            {
                Items.Add(item);
            }
        }
    }
}
