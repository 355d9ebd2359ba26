using ServiceProxy.Model;

namespace Netlink.Tests.ServiceProxy.Model;

/// <summary>Each stage of <see cref="ServiceModel.Parse"/> says which file, line and column a problem is at.</summary>
public sealed class ModelDiagnosticTests
{
    [Fact]
    public void NotYaml_IsSyntax_AtTheParserPosition()
    {
        ModelDiagnostic d = Assert.Single(ModelText.Diagnose("services:\n  - address: [tcp://198.18.0.1:80\n"));
        Assert.Equal(ModelDiagnosticKind.Syntax, d.Kind);
        Assert.Equal("model.yaml", d.Source);
        Assert.True(d.Line >= 2, $"line {d.Line}");
        Assert.True(d.Column > 0, $"column {d.Column}");
    }

    [Fact]
    public void UnknownKey_IsSyntax_AtTheKey()
    {
        ModelDiagnostic d = Assert.Single(ModelText.Diagnose("services:\n  - address: tcp://198.18.0.1:80\n    schedd: rr\n"));
        Assert.Equal(ModelDiagnosticKind.Syntax, d.Kind);
        Assert.Equal((3, 5), (d.Line, d.Column));
    }

    [Fact]
    public void BadValue_IsInvalid_AtTheValue()
    {
        IReadOnlyList<ModelDiagnostic> all = ModelText.Diagnose(
            "services:\n  - address: tcp://198.18.0.1:80\n    sched: fastest\n    destinations:\n      - { address: 198.19.0.1, weight: 70000 }\n");
        Assert.All(all, d => Assert.Equal(ModelDiagnosticKind.Invalid, d.Kind));
        Assert.Equal([(3, 12), (5, 40)], all.Select(d => (d.Line, d.Column)));
        Assert.Contains("unknown scheduler 'fastest'", all[0].Message, StringComparison.Ordinal);
        Assert.Contains("70000 is out of range", all[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnresolvedParameter_IsItsOwnKind_WithTheFileAndLine()
    {
        ModelResult result = ServiceModel.Parse("services:\n  - address: tcp://${vip}:80\n", "/etc/ipvsd/web.yaml", new ParameterSet());
        ModelDiagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal(ModelDiagnosticKind.UnresolvedParameter, d.Kind);
        Assert.Equal(("/etc/ipvsd/web.yaml", 2), (d.Source, d.Line));
        Assert.StartsWith("/etc/ipvsd/web.yaml: line 2: parameter ${vip} is not resolvable", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutParameters_DollarTextIsKeptAsWritten_AndThenValidated()
    {
        ModelResult result = ServiceModel.Parse("services:\n  - address: tcp://${vip}:80\n", "m.yaml");
        Assert.Equal(ModelDiagnosticKind.Invalid, Assert.Single(result.Diagnostics).Kind);
    }

    [Fact]
    public void GetTableOrThrow_CarriesTheDiagnostics()
    {
        ModelResult result = ServiceModel.Parse("services: [ { address: 'tcp://198.18.0.1:70000' } ]", "m.yaml");
        ModelException e = Assert.Throws<ModelException>(result.GetTableOrThrow);
        Assert.Same(result.Diagnostics, e.Diagnostics);
        Assert.Equal(ModelDiagnosticKind.Invalid, e.Kind);
    }

    [Fact]
    public void ValidModel_HasATable_AndNoDiagnostics()
    {
        ModelResult result = ServiceModel.Parse("services: [ { address: 'tcp://198.18.0.1:80', destinations: [ { address: 198.19.0.1 } ] } ]", "m.yaml");
        Assert.True(result.IsValid);
        Assert.Single(result.GetTableOrThrow().Services);
    }
}
