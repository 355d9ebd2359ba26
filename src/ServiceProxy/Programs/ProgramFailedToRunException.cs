namespace ServiceProxy.Programs;

/// <summary>A program could not be started, or did not finish in time.</summary>
internal sealed class ProgramFailedToRunException : Exception
{
    public ProgramFailedToRunException()
    {
    }

    public ProgramFailedToRunException(string message)
        : base(message)
    {
    }

    public ProgramFailedToRunException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
