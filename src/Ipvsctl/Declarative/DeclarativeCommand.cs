namespace Ipvsctl.Declarative;

/// <summary>The declarative commands (apply, changeset/diff, get, validate, set weight).</summary>
internal static class DeclarativeCommand
{
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        stderr.WriteLine("ipvsctl: declarative commands are not built yet");
        return 127;
    }
}
