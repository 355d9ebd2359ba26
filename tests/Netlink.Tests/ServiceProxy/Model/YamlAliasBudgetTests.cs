using global::ServiceProxy.Model;

namespace Netlink.Tests.ServiceProxy.Model;

/// <summary>
/// Aliases that multiply a file are refused before anything walks them; aliases that merely reuse a value are not.
/// Found by fuzzing the model: a 20 KB file of 3,000 aliases of a service whose destinations are 3,000 aliases of one
/// destination read as nine million destinations.
/// </summary>
public sealed class YamlAliasBudgetTests
{
    private static string BillionLaughs()
    {
        var text = new System.Text.StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        string previous = "a";
        foreach (char name in "bcdefghi")
        {
            text.Append(name).Append(": &").Append(name).Append(" [").AppendJoin(", ", Enumerable.Repeat("*" + previous, 9)).Append("]\n");
            previous = name.ToString();
        }
        return text.Append("services: *i\n").ToString();
    }

    private static string MultipliedServices(int n) =>
        "x-dest: &d { address: 198.18.1.1:8080 }\n" +
        $"x-dests: &ds [{string.Join(",", Enumerable.Repeat("*d", n))}]\n" +
        "x-svc: &s { address: tcp://198.18.0.1:80, destinations: *ds }\n" +
        $"services: [{string.Join(",", Enumerable.Repeat("*s", n))}]\n";

    [Fact]
    public void BillionLaughs_IsOneSyntaxDiagnosticNamingTheAlias()
    {
        ModelResult result = ServiceModel.Parse(BillionLaughs(), "model.yaml");

        ModelDiagnostic problem = Assert.Single(result.Diagnostics);
        Assert.Equal(ModelDiagnosticKind.Syntax, problem.Kind);
        Assert.Contains("billion laughs", problem.Message, StringComparison.Ordinal);
        Assert.StartsWith("model.yaml (line ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AliasesMultiplyingServicesAndDestinations_AreRefused()
    {
        ModelResult result = ServiceModel.Parse(MultipliedServices(3000), "model.yaml");

        Assert.Contains("expand it past", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAliasInsideItsOwnAnchor_IsRefused()
    {
        Assert.Equal(
            "the alias *a stands inside its own anchor: a value cannot contain itself",
            YamlAliasBudget.Check("services: &a [ { address: tcp://198.18.0.1:80, destinations: *a } ]")?.Problem);
    }

    [Theory]
    [InlineData(200_000, "flow")] // overflowed the stack in YamlDotNet's document loader: the process died (found by fuzzing)
    [InlineData(65, "flow")]
    [InlineData(65, "block")]
    public void NestingDeeperThanAnyModel_IsRefused(int depth, string style)
    {
        string yaml = style == "flow"
            ? "services: " + new string('[', depth) + new string(']', depth) + "\n"
            : "services:\n" + string.Concat(Enumerable.Repeat("- ", depth)) + "x\n";

        ModelResult result = ServiceModel.Parse(yaml, "model.yaml");

        Assert.Contains("more than 64 deep", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAliasBeforeItsAnchor_IsRefused()
    {
        // YamlDotNet resolves it to the anchor further on, which here holds the alias: a document containing itself,
        // whose walk overflowed the stack (found by fuzzing)
        Assert.Equal(
            "the alias *b comes before its anchor &b: define a value before aliasing it",
            YamlAliasBudget.Check("a: &a [*b]\nb: &b [*a]\nservices: []\n")?.Problem);
    }

    [Fact]
    public void ALargeModelWithoutAliases_IsRead()
    {
        string model = "services:\n" + string.Concat(Enumerable.Range(0, 2000).Select(i =>
            $"  - address: tcp://198.18.{i / 250}.{(i % 250) + 1}:80\n    destinations:\n      - {{ address: 198.19.0.1:8080, weight: 1 }}\n"));

        Assert.Null(YamlAliasBudget.Check(model));
        Assert.True(ServiceModel.Parse(model, "model.yaml").IsValid);
    }

    [Fact]
    public void AliasesThatReuseAValue_AreRead()
    {
        const string Yaml = """
            x-dest: &dest { weight: 2, forward: nat }
            services:
              - address: tcp://198.18.0.10:80
                destinations:
                  - { <<: *dest, address: 198.18.1.10:8080 }
                  - { <<: *dest, address: 198.18.1.11:8080 }
            """;
        Assert.Null(YamlAliasBudget.Check(Yaml));
        Assert.Null(YamlAliasBudget.Check(MultipliedServices(100)));
    }

    [Fact]
    public void IpvsdConfiguration_RefusesTheSameFile()
    {
        global::Ipvsd.Configuration.ConfigReader.Parse(BillionLaughs(), "/etc/ipvsd/ipvsd.yaml", out IReadOnlyList<global::Ipvsd.Configuration.ConfigProblem> problems);

        Assert.Contains("billion laughs", Assert.Single(problems).ToString(), StringComparison.Ordinal);
    }
}
