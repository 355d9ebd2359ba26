using ServiceProxy.Model;
using Ipvsctl.Declarative.Parameters;
using ServiceProxy.Planning;

namespace Ipvsctl.Declarative;

/// <summary>
/// Reads, resolves and validates a model: file (51 if unreadable), YAML shape (30), parameters (35 if one is
/// unresolved), values (32). Touches no kernel, so validate needs no privileges.
/// </summary>
internal static class ModelLoader
{
    public const string DefaultPath = "/etc/ipvsctl.yaml";

    public static DesiredServiceTable Load(CommandContext context, string path)
    {
        string source = path == "-" ? "stdin" : path;
        string text = Read(context, path);
        ParameterSet parameters = ParameterSources.Load(context.Options, context.Environment);
        ModelResult result = ServiceModel.Parse(text, source, parameters);
        if (!result.IsValid)
        {
            throw Failed(result.Diagnostics);
        }
        DesiredServiceTable table = result.Table;
        context.Verbose($"{source}: model valid: {table.Services.Count} service(s), {table.Services.Sum(s => s.RealServers.Count)} destination(s)");
        return table;
    }

    /// <summary>ipvsctl's exit status for each stage of the model that can fail.</summary>
    public static CommandFailedException Failed(IReadOnlyList<ModelDiagnostic> diagnostics)
    {
        int exitCode = diagnostics[0].Kind switch
        {
            ModelDiagnosticKind.Syntax => ExitCodes.InvalidModelFile,
            ModelDiagnosticKind.UnresolvedParameter => ExitCodes.ParameterNotResolvable,
            _ => ExitCodes.ValidationFailed,
        };
        return new CommandFailedException(exitCode, [.. diagnostics.Select(d => d.Message)]);
    }

    private static string Read(CommandContext context, string path)
    {
        if (path.Length == 0)
        {
            throw CommandFailedException.Usage("-f needs a file name, or - for stdin");
        }
        try
        {
            return path == "-" ? context.Stdin.ReadToEnd() : context.Environment.ReadFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(ExitCodes.FileError, $"cannot read model {path}: {FileProblem.Describe(e)}: check the path (default {DefaultPath}) or use -f - for stdin");
        }
    }
}
