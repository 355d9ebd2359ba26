using System.Globalization;

namespace Ipvsctl.Declarative;

/// <summary>
/// Words for I/O and HTTP failures. The binary is built with UseSystemResourceKeys (smaller, faster start), so the
/// runtime's own messages are bare resource keys; these are what a user reads instead.
/// </summary>
internal static class FileProblem
{
    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        HttpRequestException { StatusCode: not null } http => string.Create(CultureInfo.InvariantCulture, $"the server answered HTTP {(int)http.StatusCode}"),
        HttpRequestException http => $"request failed ({http.HttpRequestError})",
        TaskCanceledException => "no answer within 30 s",
        _ => e.Message,
    };
}
