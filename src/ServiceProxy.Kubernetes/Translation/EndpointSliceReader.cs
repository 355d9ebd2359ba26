using System.Globalization;
using System.Net;
using System.Net.Sockets;
using k8s.Models;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// Reads a Service's EndpointSlices into its endpoints per slice port (name and protocol), as kube-proxy's endpoint
/// slice cache does: only slices labelled with the Service's name (kubernetes.io/service-name) in its namespace, of
/// address type IPv4 or IPv6 (FQDN slices mean nothing to a proxy); ports without a number are skipped; only the first
/// address of an endpoint counts; the same address and port in two slices (a pod moving between slices, or an IP
/// reused while the old pod terminates) is kept once, the non-terminating one winning. Slices are read in name order so
/// that the result does not depend on the order they arrived in.
/// </summary>
internal sealed class EndpointSliceReader
{
    /// <summary>The label that ties an EndpointSlice to its Service.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    private readonly Dictionary<(string Name, string Protocol), PortEndpoints> _byPort = [];

    private EndpointSliceReader()
    {
    }

    /// <summary>The endpoints of the slice port named <paramref name="portName"/> ("" for an unnamed port) with <paramref name="protocol"/>.</summary>
    public IReadOnlyList<ServiceEndpoint> For(string portName, string protocol) =>
        _byPort.TryGetValue((portName, protocol), out PortEndpoints? endpoints) ? endpoints.Items : [];

    /// <summary>Reads <paramref name="slices"/> for <paramref name="service"/>; what cannot be used is described in <paramref name="problems"/>.</summary>
    public static EndpointSliceReader Read(ServiceName service, IEnumerable<V1EndpointSlice> slices, List<string> problems)
    {
        var reader = new EndpointSliceReader();
        foreach (V1EndpointSlice slice in slices.Where(s => s is not null).OrderBy(s => s.Metadata?.Name, StringComparer.Ordinal))
        {
            reader.Add(service, slice, problems);
        }
        return reader;
    }

    private void Add(ServiceName service, V1EndpointSlice slice, List<string> problems)
    {
        string sliceName = slice.Metadata?.Name ?? "";
        string? owner = slice.Metadata?.Labels is { } labels && labels.TryGetValue(ServiceNameLabel, out string? value) ? value : null;
        string? sliceNamespace = slice.Metadata?.NamespaceProperty;
        if (owner != service.Name || (sliceNamespace is not null && sliceNamespace != service.Namespace))
        {
            problems.Add($"{service}: EndpointSlice {sliceNamespace}/{sliceName} is labelled {ServiceNameLabel}={owner}, not this Service: skipped");
            return;
        }
        AddressFamily family;
        switch (slice.AddressType)
        {
            case "IPv4":
                family = AddressFamily.InterNetwork;
                break;
            case "IPv6":
                family = AddressFamily.InterNetworkV6;
                break;
            case "FQDN":
                return; // no proxy can use names; kube-proxy ignores these slices too
            default:
                problems.Add($"{service}: EndpointSlice {sliceName} has address type '{slice.AddressType}', neither IPv4 nor IPv6: skipped");
                return;
        }

        var ports = new List<(string Name, string Protocol, ushort Number)>();
        foreach (Discoveryv1EndpointPort? port in slice.Ports ?? [])
        {
            if (port is null)
            {
                continue;
            }
            string portName = port.Name ?? ""; // the API writes "" for an unnamed port; a missing name reads the same
            if (port.Port is not (>= 1 and <= 65535))
            {
                string number = port.Port?.ToString(CultureInfo.InvariantCulture) ?? "no number";
                problems.Add($"{service}: EndpointSlice {sliceName} port '{portName}' has {(port.Port is null ? number : "number " + number)}: skipped");
                continue;
            }
            ports.Add((portName, port.Protocol ?? ServiceProtocols.Default, (ushort)port.Port.Value));
        }
        if (ports.Count == 0)
        {
            return;
        }

        foreach (V1Endpoint? endpoint in slice.Endpoints ?? [])
        {
            if (endpoint is null || Read(service, sliceName, family, endpoint, problems) is not { } read)
            {
                continue;
            }
            foreach ((string name, string protocol, ushort number) in ports)
            {
                if (!_byPort.TryGetValue((name, protocol), out PortEndpoints? list))
                {
                    list = new PortEndpoints();
                    _byPort.Add((name, protocol), list);
                }
                list.Add(read with { Port = number });
            }
        }
    }

    /// <summary>The endpoint with port 0 (each slice port gives its own), or null when it cannot be used.</summary>
    private static ServiceEndpoint? Read(ServiceName service, string sliceName, AddressFamily family, V1Endpoint endpoint, List<string> problems)
    {
        string? first = endpoint.Addresses is { Count: > 0 } addresses ? addresses[0] : null;
        if (first is null)
        {
            problems.Add($"{service}: EndpointSlice {sliceName} has an endpoint without addresses: skipped");
            return null;
        }
        if (!IpText.TryParse(first, out IPAddress address) || address.AddressFamily != family)
        {
            problems.Add($"{service}: EndpointSlice {sliceName} endpoint address '{first}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address: skipped");
            return null;
        }
        V1EndpointConditions? conditions = endpoint.Conditions;
        return new ServiceEndpoint(
            address,
            0,
            string.IsNullOrEmpty(endpoint.NodeName) ? null : endpoint.NodeName,
            Ready: conditions?.Ready ?? true,
            Serving: conditions?.Serving ?? true,
            Terminating: conditions?.Terminating ?? false,
            Names(endpoint.Hints?.ForZones?.Select(z => z?.Name)),
            Names(endpoint.Hints?.ForNodes?.Select(n => n?.Name)));
    }

    private static IReadOnlyCollection<string> Names(IEnumerable<string?>? names) =>
        names is null ? [] : [.. names.Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).Distinct(StringComparer.Ordinal)];

    /// <summary>The endpoints of one port, each address and port once.</summary>
    private sealed class PortEndpoints
    {
        private readonly Dictionary<(IPAddress Address, ushort Port), int> _index = [];

        public List<ServiceEndpoint> Items { get; } = [];

        public void Add(ServiceEndpoint endpoint)
        {
            if (!_index.TryGetValue((endpoint.Address, endpoint.Port), out int at))
            {
                _index.Add((endpoint.Address, endpoint.Port), Items.Count);
                Items.Add(endpoint);
            }
            else if (!endpoint.Terminating)
            {
                // A running pod wins over a terminating one that had the same IP; of two running ones, the later slice.
                Items[at] = endpoint;
            }
        }
    }
}
