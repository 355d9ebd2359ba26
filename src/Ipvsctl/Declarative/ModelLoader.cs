using Ipvsctl.Declarative.Model;
using Ipvsctl.Declarative.Parameters;
using Netlink.Ipvs.ServiceTable;

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
        ModelDocument document = ModelReader.Read(text, source, parameters.Substitute);
        if (parameters.Unresolved.Count > 0)
        {
            throw new CommandFailedException(ExitCodes.ParameterNotResolvable, parameters.Unresolved.Select(u => $"{source}: {u}").ToList());
        }
        DesiredServiceTable table = ModelValidator.Validate(document);
        context.Verbose($"{source}: model valid: {table.Services.Count} service(s), {table.Services.Sum(s => s.RealServers.Count)} destination(s)");
        return table;
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
