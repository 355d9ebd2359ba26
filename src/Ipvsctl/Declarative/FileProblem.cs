namespace Ipvsctl.Declarative;

/// <summary>
/// Words for I/O failures. The binary is built with UseSystemResourceKeys (smaller, faster start), so the
/// runtime's own messages are bare resource keys; these are what a user reads instead.
/// </summary>
internal static class FileProblem
{
    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };
}
