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
