namespace KubernetesTestServer;

/// <summary>A watch asked for a resourceVersion older than the kind's retained history: the real server's 410 Gone (reason Expired).</summary>
public sealed class ResourceExpiredException : Exception
{
    /// <summary>An expiry with no detail.</summary>
    public ResourceExpiredException()
    {
    }

    /// <summary>An expiry with a message.</summary>
    /// <param name="message">What expired.</param>
    public ResourceExpiredException(string message) : base(message)
    {
    }

    /// <summary>An expiry with a message and a cause.</summary>
    /// <param name="message">What expired.</param>
    /// <param name="innerException">The cause.</param>
    public ResourceExpiredException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
