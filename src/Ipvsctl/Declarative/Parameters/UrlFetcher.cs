using System.ComponentModel;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Ipvsctl.Declarative.Parameters;

/// <summary>
/// GETs a --params-url document with curl. ipvsctl carries no HTTP or TLS stack of its own: in the NativeAOT image
/// HttpClient brought 3 MB of code (sockets, TLS, certificates, ASN.1) that every start paid for, about 2 ms of the
/// start-up that issue 3 holds against ipvsadm's, while curl is on the machines that run load balancers and already
/// honours the proxy and certificate settings their operators keep for it.
/// </summary>
internal static class UrlFetcher
{
    private const int TimeoutSeconds = 30;

    /// <summary>The body as text; throws <see cref="UrlFetchException"/> with curl's reason when it fails.</summary>
    public static string Fetch(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        BufferedCommandResult result;
        try
        {
            result = Cli.Wrap("curl")
                .WithArguments(Arguments(url))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(Encoding.UTF8).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            throw new UrlFetchException("curl could not run (install curl to use --params-url)");
        }
        if (result.ExitCode != 0)
        {
            throw new UrlFetchException(Reason(result.ExitCode, result.StandardError));
        }
        return result.StandardOutput;
    }

    /// <summary>
    /// curl's arguments for <paramref name="url"/>. ParameterSources lets only http:// and https:// URLs through, and
    /// --proto says the same to curl; --proto-redir holds redirects to it too, so a server (or whoever answers in its
    /// place) cannot send curl on to file:///etc/shadow, ftp:// or any other of curl's many protocols.
    /// </summary>
    internal static IReadOnlyList<string> Arguments(Uri url) =>
    [
        "--silent", "--show-error", "--fail", "--location",
        "--proto", "=http,https", "--proto-redir", "=http,https",
        "--max-time", TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // "--" ends the options: a URL is never taken for one
        "--", url.AbsoluteUri,
    ];

    /// <summary>curl's own message without its "curl: (N) " prefix, or its exit code when it printed none.</summary>
    internal static string Reason(int exitCode, string standardError)
    {
        string line = standardError.Trim().Split('\n')[0].Trim();
        if (line.StartsWith("curl: (", StringComparison.Ordinal) && line.IndexOf(") ", StringComparison.Ordinal) is int close and > 0)
        {
            line = line[(close + 2)..];
        }
        return exitCode == 28 ? $"no answer within {TimeoutSeconds} s"
            : line.Length > 0 ? line
            : $"curl exited {exitCode}";
    }
}
