namespace Ipvsctl.Ipvsadm;

/// <summary>
/// Ends the ipvsadm command line the way ipvsadm's fail() and exit() do: <see cref="Message"/> (when not empty) goes
/// to standard error followed by a newline (see <see cref="ToStandardOutput"/>), and the process exits with <see cref="Status"/>.
/// </summary>
internal sealed class IpvsadmExit : Exception
{
    public IpvsadmExit(int status, string message, bool toStandardOutput = false)
        : base(message)
    {
        Status = status;
        ToStandardOutput = toStandardOutput;
    }

    public IpvsadmExit()
    {
    }

    public IpvsadmExit(string message)
        : base(message)
    {
    }

    public IpvsadmExit(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The exit status (255 for ipvsadm's exit(-1)).</summary>
    public int Status { get; }

    /// <summary>True for -h and -v, whose text goes to standard output, written as is (no newline added).</summary>
    public bool ToStandardOutput { get; }
}
