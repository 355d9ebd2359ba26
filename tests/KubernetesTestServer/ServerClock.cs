namespace KubernetesTestServer;

/// <summary>The server-wide lock and resourceVersion counter: like etcd's revision, one sequence across every kind.</summary>
internal sealed class ServerClock
{
    public Lock Gate { get; } = new();

    /// <summary>The last revision handed out; read and written under <see cref="Gate"/>.</summary>
    public long Revision { get; set; } = 1000;
}
