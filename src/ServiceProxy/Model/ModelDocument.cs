using Netlink.Ipvs;

namespace ServiceProxy.Model;

/// <summary>A scalar of the model file as written (after parameter substitution), with its line and column for messages.</summary>
internal sealed record Scalar(string Text, int Line, int Column = 0);

/// <summary>The model file read into its parts, values still text: the validator gives them meaning.</summary>
internal sealed class ModelDocument
{
    public DefaultsDocument Defaults { get; } = new();

    public List<ServiceDocument> Services { get; } = [];

    public TimeoutsDocument? Timeouts { get; set; }
}

/// <summary>The "defaults" mapping.</summary>
internal sealed class DefaultsDocument
{
    public Scalar? Port { get; set; }

    public Scalar? Weight { get; set; }

    public Scalar? Scheduler { get; set; }

    public Scalar? Forward { get; set; }
}

/// <summary>The top-level "timeouts" mapping (seconds).</summary>
internal sealed class TimeoutsDocument
{
    public int Line { get; init; }

    public Scalar? Tcp { get; set; }

    public Scalar? TcpFin { get; set; }

    public Scalar? Udp { get; set; }
}

/// <summary>One item of "services".</summary>
internal sealed class ServiceDocument
{
    public int Number { get; init; }

    public int Line { get; init; }

    public Scalar? Address { get; set; }

    public Scalar? Family { get; set; }

    public Scalar? Scheduler { get; set; }

    public Scalar? Persistent { get; set; }

    public Scalar? Netmask { get; set; }

    public List<Scalar> Flags { get; } = [];

    public Scalar? PersistenceEngine { get; set; }

    public List<DestinationDocument> Destinations { get; } = [];

    public HealthCheckDocument? HealthCheck { get; set; }
}

/// <summary>A service's "health-check" mapping.</summary>
internal sealed class HealthCheckDocument
{
    public int Line { get; init; }

    public Scalar? Type { get; set; }

    public Scalar? Port { get; set; }

    public Scalar? Path { get; set; }

    public Scalar? Status { get; set; }

    public Scalar? Interval { get; set; }

    public Scalar? Timeout { get; set; }

    public Scalar? Rise { get; set; }

    public Scalar? Fall { get; set; }

    public Scalar? OnFailure { get; set; }
}

/// <summary>One item of a service's "destinations".</summary>
internal sealed class DestinationDocument
{
    public int Number { get; init; }

    public int Line { get; init; }

    public Scalar? Address { get; set; }

    public Scalar? Weight { get; set; }

    public Scalar? Forward { get; set; }

    public Scalar? UpperThreshold { get; set; }

    public Scalar? LowerThreshold { get; set; }

    public Scalar? TunnelType { get; set; }

    public Scalar? TunnelPort { get; set; }

    public Scalar? TunnelChecksum { get; set; }
}
