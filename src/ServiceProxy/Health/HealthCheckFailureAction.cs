namespace ServiceProxy.Health;

/// <summary>What happens to a real server that fails its checks (keepalived's inhibit_on_failure, or its default).</summary>
public enum HealthCheckFailureAction
{
    /// <summary>Its weight is set to 0: no new connections, the existing ones finish ("inhibit" in the model).</summary>
    Inhibit,

    /// <summary>It is taken out of the service ("remove" in the model).</summary>
    Remove,
}
