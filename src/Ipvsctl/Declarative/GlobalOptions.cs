namespace Ipvsctl.Declarative;

/// <summary>The options before the command word: ipvsctl [-v|-d] [--params-env] [--params-network] [--params-file=F]... [--params-url=U]...</summary>
internal sealed class GlobalOptions
{
    private static readonly OptionSpec[] Specs =
    [
        new("verbose", false, "-v", "--verbose"),
        new("debug", false, "-d", "--debug"),
        new("params-env", false, "--params-env"),
        new("params-network", false, "--params-network"),
        new("params-file", true, "--params-file"),
        new("params-url", true, "--params-url"),
        new("help", false, "-h", "--help"),
    ];

    public bool Verbose { get; init; }

    public bool Debug { get; init; }

    public bool Help { get; init; }

    public bool ParamsEnvironment { get; init; }

    public bool ParamsNetwork { get; init; }

    public IReadOnlyList<string> ParamsFiles { get; init; } = [];

    public IReadOnlyList<string> ParamsUrls { get; init; } = [];

    /// <summary>Parses the global options; <paramref name="commandIndex"/> is where the command word is (or args.Length).</summary>
    public static GlobalOptions Parse(IReadOnlyList<string> args, out int commandIndex)
    {
        ParsedArguments parsed = ArgumentParser.Parse(args, 0, Specs, "ipvsctl", stopAtPositional: true);
        commandIndex = parsed.End;
        List<string> urls = parsed.Values("params-url").Where(u => u.Length > 0).ToList();
        foreach (string url in urls)
        {
            // refused here, before any command runs or anything is read; curl is held to the same (UrlFetcher)
            if (!IsHttpUrl(url))
            {
                throw CommandFailedException.Usage($"--params-url {url} is not an http:// or https:// URL: give the document's http(s) address, or a local file with --params-file");
            }
        }
        return new GlobalOptions
        {
            Verbose = parsed.Has("verbose") || parsed.Has("debug"),
            Debug = parsed.Has("debug"),
            Help = parsed.Has("help"),
            ParamsEnvironment = parsed.Has("params-env"),
            ParamsNetwork = parsed.Has("params-network"),
            ParamsFiles = parsed.Values("params-file").Where(f => f.Length > 0).ToList(),
            ParamsUrls = urls,
        };
    }

    /// <summary>An absolute http:// or https:// URL (the scheme in any case: Uri lowers it).</summary>
    public static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https";
}
