namespace Ipvsctl.Declarative.Parameters;

/// <summary>A --params-url document could not be fetched; the message says why, in a few words.</summary>
internal sealed class UrlFetchException : Exception
{
    public UrlFetchException(string message)
        : base(message)
    {
    }

    public UrlFetchException()
    {
    }

    public UrlFetchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
