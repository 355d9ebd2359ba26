using ServiceProxy.Health;
using ServiceProxy.Model;
using ServiceProxy.Planning;

namespace Netlink.Tests.ServiceProxy.Model;

/// <summary>A service's health-check in the model: defaults, every setting, and each refusal naming its line and fix.</summary>
public sealed class HealthCheckModelTests
{
    private static string WithCheck(string check) => $"services:\n  - address: tcp://198.18.0.1:80\n    health-check:\n{check}";

    [Fact]
    public void NoHealthCheck_IsNull_AndAnEmptyOneTakesTheDefaults()
    {
        Assert.Null(ModelText.Load("services: [ { address: 'tcp://198.18.0.1:80' } ]").Services[0].HealthCheck);
        HealthCheck check = Assert.IsType<HealthCheck>(ModelText.Load(WithCheck("      type: tcp\n")).Services[0].HealthCheck);
        Assert.Equal(new HealthCheck(), check);
        Assert.Equal((HealthCheckType.Tcp, (ushort?)null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), 2, 3, HealthCheckFailureAction.Inhibit),
            (check.Type, check.Port, check.Interval, check.Timeout, check.Rise, check.Fall, check.OnFailure));
    }

    [Fact]
    public void EverySetting_IsRead()
    {
        DesiredService service = ModelText.Load(WithCheck(
            "      type: http\n      port: 8081\n      path: /healthz\n      status: 204\n      interval: 1500ms\n      timeout: 1\n      rise: 1\n      fall: 5\n      on-failure: remove\n")).Services[0];
        Assert.Equal(new HealthCheck
        {
            Type = HealthCheckType.Http,
            Port = 8081,
            Path = "/healthz",
            Status = 204,
            Interval = TimeSpan.FromMilliseconds(1500),
            Timeout = TimeSpan.FromSeconds(1),
            Rise = 1,
            Fall = 5,
            OnFailure = HealthCheckFailureAction.Remove,
        }, service.HealthCheck);
    }

    [Fact]
    public void TheHealthCheck_ChangesNoPlan()
    {
        DesiredServiceTable without = ModelText.Load("services: [ { address: 'tcp://198.18.0.1:80', destinations: [ { address: 198.19.0.1 } ] } ]");
        DesiredServiceTable with = ModelText.Load("services: [ { address: 'tcp://198.18.0.1:80', health-check: { type: tcp }, destinations: [ { address: 198.19.0.1 } ] } ]");
        ServiceTablePlan plan = ServiceTablePlanner.Plan([], null, with);
        Assert.Equal(ServiceTablePlanner.Plan([], null, without).Changes, plan.Changes);
    }

    [Theory]
    [InlineData("      type: icmp\n", "health-check type (line 4): unknown value 'icmp': use one of tcp http")]
    [InlineData("      path: /x\n", "health-check (line 4): path and status are for type: http: set type: http or drop them")]
    [InlineData("      type: http\n      path: healthz\n", "health-check path (line 5): 'healthz' does not start with '/'")]
    [InlineData("      type: http\n      status: 700\n", "health-check status (line 5): 700 is out of range: use an HTTP status from 100 to 599")]
    [InlineData("      interval: 1s\n      timeout: 3s\n", "health-check (line 5): timeout 3s is longer than interval 1s: make the timeout at most the interval")]
    [InlineData("      interval: soon\n", "health-check interval (line 4): 'soon' is not a duration")]
    [InlineData("      interval: 2h\n", "health-check interval (line 4): 2h is out of range: use a duration from 0.1s to 3600s")]
    [InlineData("      interval: 10ms\n", "health-check interval (line 4): 10ms is out of range")]
    [InlineData("      port: 70000\n", "health-check port (line 4): 70000 is out of range")]
    [InlineData("      fall: 0\n", "health-check fall (line 4): 0 is out of range: use a count from 1 to 100")]
    [InlineData("      on-failure: drain\n", "health-check on-failure (line 4): unknown value 'drain': use one of inhibit remove")]
    public void BadSettings_AreRefused_NamingTheLineAndTheFix(string check, string expected)
    {
        string error = ModelText.SingleError(WithCheck(check));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.StartsWith("service tcp://198.18.0.1:80 health-check", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckWithoutAPort_OnAFirewallMarkServiceWhoseDestinationHasNone_IsRefused()
    {
        const string Service = "services:\n  - address: fwmark:7\n    destinations: [ { address: 198.19.0.1 } ]\n    health-check:\n";

        string error = ModelText.SingleError(Service + "      type: tcp\n");

        Assert.Equal("service fwmark:7 health-check (line 5): destination 198.19.0.1 has no port to check: give the health-check a port, or the destination one", error);
        Assert.Equal((ushort)8080, ModelText.Load(Service + "      port: 8080\n").Services[0].HealthCheck!.Port);
    }

    [Fact]
    public void AnUnknownKey_IsAShapeError()
    {
        ModelDiagnostic d = Assert.Single(ModelText.Diagnose(WithCheck("      retries: 3\n")));
        Assert.Equal(ModelDiagnosticKind.Syntax, d.Kind);
        Assert.Contains("health-check has unknown key 'retries': use type, port, path, status, interval, timeout, rise, fall, on-failure", d.Message, StringComparison.Ordinal);
    }
}
