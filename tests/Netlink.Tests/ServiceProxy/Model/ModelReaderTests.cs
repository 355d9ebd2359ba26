namespace Netlink.Tests.ServiceProxy.Model;

/// <summary>Shape errors of the model file: exit 30, one line each, naming the line and the fix.</summary>
public sealed class ModelReaderTests
{
    [Theory]
    [InlineData("services: [ {address: tcp://198.18.0.1:80 ", "model.yaml is not valid YAML (line")]
    [InlineData("- just\n- a list\n", "model.yaml: line 1: the model must be a mapping with services:")]
    [InlineData("servises: []", "model.yaml: line 1: the model has unknown key 'servises': use defaults, services, timeouts")]
    [InlineData("services: { address: tcp://198.18.0.1:80 }", "model.yaml: line 1: services must be a list (items starting with '- ')")]
    [InlineData("services: [ { address: 'tcp://198.18.0.1:80', schedd: rr } ]", "service 1 has unknown key 'schedd': use address, family, sched, persistent, netmask, flags, pe, destinations")]
    [InlineData("services: [ { address: [a, b] } ]", "service 1 address must be a single value, not a list or mapping")]
    [InlineData("services: [ { address: 'tcp://198.18.0.1:80', destinations: [ { address: 198.19.0.1, wieght: 1 } ] } ]", "service 1 destination 1 has unknown key 'wieght': use address, weight, forward,")]
    [InlineData("defaults: { port: 80, scheduler: rr }", "defaults has unknown key 'scheduler': use port, weight, sched, forward")]
    [InlineData("timeouts: [ 1, 2 ]", "timeouts must be a mapping of tcp, tcpfin, udp")]
    [InlineData("services: []\n---\nservices: []\n", "holds 2 YAML documents: put the whole model in one")]
    public void ShapeErrors_AreInvalidModelFile(string yaml, string expected)
    {
        (int exitCode, IReadOnlyList<string> lines) = ModelText.Fail(yaml);
        Assert.Equal(30, exitCode);
        Assert.Contains(expected, Assert.Single(lines), StringComparison.Ordinal);
    }

    [Fact]
    public void FlagsAsOneValue_IsAListOfOne()
    {
        var table = ModelText.Load("services: [ { address: 'fwmark:3', sched: mh, flags: mh-port } ]");
        Assert.Equal(Netlink.Ipvs.ServiceFlags.MaglevHashPort, table.Services[0].Service.Flags);
    }
}
