namespace ServiceProxy.Reconciling;

/// <summary>The state directory or a file in it is not safe to use (<see cref="StateFiles"/>); the message names the problem and the fix.</summary>
public sealed class UnsafeStateException : IOException
{
    /// <summary>An unsafe state directory, not described.</summary>
    public UnsafeStateException()
    {
    }

    /// <summary>An unsafe state directory or file; <paramref name="message"/> names the problem and the fix.</summary>
    public UnsafeStateException(string message)
        : base(message)
    {
    }

    /// <summary>As <see cref="UnsafeStateException(string)"/>, found through <paramref name="inner"/>.</summary>
    public UnsafeStateException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
