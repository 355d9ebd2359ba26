using Netlink.Ipvs;
using ServiceProxy.Planning;

namespace ServiceProxy.Model;

/// <summary>One model file as <see cref="ServiceModelFiles"/> holds it: its services by key, with their lines.</summary>
internal sealed class ModelFile
{
    private ModelFile(Dictionary<VirtualServiceKey, DesiredService> services, IReadOnlyDictionary<VirtualServiceKey, int> lines, IpvsTimeouts? timeouts, int timeoutsLine)
    {
        Services = services;
        Lines = lines;
        Timeouts = timeouts;
        TimeoutsLine = timeoutsLine;
    }

    /// <summary>The file's services in its order (a dictionary keeps insertion order while nothing is removed).</summary>
    public Dictionary<VirtualServiceKey, DesiredService> Services { get; }

    public IReadOnlyDictionary<VirtualServiceKey, int> Lines { get; }

    public IpvsTimeouts? Timeouts { get; }

    public int TimeoutsLine { get; }

    /// <summary>Reads and validates one file; null (and its problems added to <paramref name="diagnostics"/>) when invalid.</summary>
    public static ModelFile? Read(ModelSource source, ParameterSet? parameters, List<ModelDiagnostic> diagnostics)
    {
        ModelResult result = ServiceModel.ParseOne(source, parameters, out IReadOnlyDictionary<VirtualServiceKey, int> lines, out int timeoutsLine);
        if (!result.IsValid)
        {
            diagnostics.AddRange(result.Diagnostics);
            return null;
        }
        var services = new Dictionary<VirtualServiceKey, DesiredService>(result.Table.Services.Count);
        foreach (DesiredService service in result.Table.Services)
        {
            services.Add(service.Service.Key, service);
        }
        return new ModelFile(services, lines, result.Table.Timeouts, timeoutsLine);
    }
}
