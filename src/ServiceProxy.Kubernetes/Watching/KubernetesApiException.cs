using System.Net;
using k8s.Models;

namespace ServiceProxy.Kubernetes.Watching;

/// <summary>
/// The API server refused a request (an HTTP error status) or ended a watch with an ERROR event; either way it may
/// carry the server's <c>Status</c> object.
/// </summary>
public sealed class KubernetesApiException : Exception
{
    /// <summary>An error with no status.</summary>
    public KubernetesApiException()
    {
    }

    /// <summary>An error with a message and no status.</summary>
    /// <param name="message">What failed.</param>
    public KubernetesApiException(string message) : base(message)
    {
    }

    /// <summary>An error with a message, caused by another exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public KubernetesApiException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>An error the server reported.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="statusCode">The response's HTTP status, or null for an ERROR event in a watch.</param>
    /// <param name="status">The <c>Status</c> object the server sent, if it sent one.</param>
    /// <param name="innerException">The client's exception, if any.</param>
    public KubernetesApiException(string message, HttpStatusCode? statusCode, V1Status? status, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Status = status;
    }

    /// <summary>The response's HTTP status; null when the error came as an ERROR event of a watch.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The server's <c>Status</c> object (code, reason, message), when it sent one.</summary>
    public V1Status? Status { get; }

    /// <summary>
    /// 410 Gone, as an HTTP status or as the code of an ERROR event's Status: the resourceVersion asked for is older
    /// than the server's history, so the client must list again.
    /// </summary>
    public bool IsResourceExpired => StatusCode == HttpStatusCode.Gone || Status?.Code == (int)HttpStatusCode.Gone;
}
