namespace ServiceProxy.Health;

/// <summary>How a real server is checked.</summary>
public enum HealthCheckType
{
    /// <summary>A TCP connection to the port is accepted ("tcp" in the model).</summary>
    Tcp,

    /// <summary>An HTTP GET of the path answers the expected status ("http" in the model).</summary>
    Http,
}
