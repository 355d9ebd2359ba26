using Ipvsctl.Declarative;
using Ipvsctl.Declarative.Model;
using Ipvsctl.Declarative.Parameters;
using Netlink.Ipvs.ServiceTable;

namespace Netlink.Tests.Ipvsctl.Declarative;

/// <summary>Runs model text through reader and validator as the commands do, for the model tests.</summary>
internal static class ModelText
{
    public static DesiredServiceTable Load(string yaml, ParameterSet? parameters = null)
    {
        parameters ??= new ParameterSet();
        ModelDocument document = ModelReader.Read(yaml, "model.yaml", parameters.Substitute);
        Assert.Empty(parameters.Unresolved);
        return ModelValidator.Validate(document);
    }

    /// <summary>The lines of the failure and its exit status.</summary>
    public static (int ExitCode, IReadOnlyList<string> Lines) Fail(string yaml)
    {
        CommandFailedException e = Assert.Throws<CommandFailedException>(() => Load(yaml));
        return (e.ExitCode, e.Lines);
    }

    /// <summary>The one validation error (exit 32) of a model that has exactly one.</summary>
    public static string SingleError(string yaml)
    {
        (int exitCode, IReadOnlyList<string> lines) = Fail(yaml);
        Assert.Equal(32, exitCode);
        return Assert.Single(lines);
    }
}
