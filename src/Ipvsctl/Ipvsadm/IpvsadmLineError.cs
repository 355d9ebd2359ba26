namespace Ipvsctl.Ipvsadm;

/// <summary>
/// A command line popt could not scan past its first option ("-L --bogus"): ipvsadm prints the message and gives up
/// on that line only (the line's status is -1), so a restore goes on with the next line.
/// </summary>
internal sealed class IpvsadmLineError : Exception
{
    public IpvsadmLineError()
    {
    }

    public IpvsadmLineError(string message)
        : base(message)
    {
    }

    public IpvsadmLineError(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
