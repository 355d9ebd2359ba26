using Ipvsctl.Declarative;
using ServiceProxy.Model;
using ServiceProxy.Planning;

namespace Netlink.Tests.ServiceProxy.Model;

/// <summary>Runs model text through <see cref="ServiceModel.Parse"/> as the commands do, for the model tests.</summary>
internal static class ModelText
{
    public static DesiredServiceTable Load(string yaml, ParameterSet? parameters = null)
    {
        ModelResult result = ServiceModel.Parse(yaml, "model.yaml", parameters ?? new ParameterSet());
        Assert.Empty(result.Diagnostics);
        return Assert.IsType<DesiredServiceTable>(result.Table);
    }

    /// <summary>The diagnostics of a model that is not valid.</summary>
    public static IReadOnlyList<ModelDiagnostic> Diagnose(string yaml)
    {
        ModelResult result = ServiceModel.Parse(yaml, "model.yaml", new ParameterSet());
        Assert.False(result.IsValid);
        Assert.Null(result.Table);
        Assert.NotEmpty(result.Diagnostics);
        return result.Diagnostics;
    }

    /// <summary>The lines of the failure and ipvsctl's exit status for it.</summary>
    public static (int ExitCode, IReadOnlyList<string> Lines) Fail(string yaml)
    {
        CommandFailedException e = ModelLoader.Failed(Diagnose(yaml));
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
