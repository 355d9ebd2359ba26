using ServiceProxy.Model;
using ServiceProxy.Planning;

namespace Netlink.Tests.ServiceProxy.Model;

/// <summary>Several model files (a directory) read as one table; a service or the timeouts defined twice name both files.</summary>
public sealed class ModelFilesTests
{
    private static readonly ModelSource Web = new("/etc/ipvsd/services/web.yaml",
        "services:\n  - address: tcp://198.18.0.1:80\n    destinations: [ { address: 198.19.0.1:8080 } ]\ntimeouts: { tcp: 900 }\n");

    private static readonly ModelSource Dns = new("/etc/ipvsd/services/dns.yaml",
        "services:\n  - address: udp://198.18.0.2:53\n  - address: udp://[2001:db8::53]:53\n");

    [Fact]
    public void Files_AreMerged_InTheOrderGiven()
    {
        DesiredServiceTable table = ServiceModel.ParseAll([Web, Dns]).GetTableOrThrow();
        Assert.Equal(["TCP 198.18.0.1:80", "UDP 198.18.0.2:53", "UDP [2001:db8::53]:53"], table.Services.Select(s => s.Service.Key.ToString()));
        Assert.Equal(900u, table.Timeouts!.Tcp);
    }

    [Fact]
    public void AServiceInTwoFiles_NamesBothFilesAndLines()
    {
        var again = new ModelSource("/etc/ipvsd/services/web-copy.yaml", "# the same service, copied\n\nservices:\n  - address: tcp://198.18.0.1:80\n");
        ModelDiagnostic d = Assert.Single(ServiceModel.ParseAll([Web, Dns, again]).Diagnostics);
        Assert.Equal((ModelDiagnosticKind.Invalid, "/etc/ipvsd/services/web-copy.yaml", 4), (d.Kind, d.Source, d.Line));
        Assert.Equal("service tcp://198.18.0.1:80 is defined in /etc/ipvsd/services/web.yaml (line 2) and again in /etc/ipvsd/services/web-copy.yaml (line 4): keep one of them", d.Message);
    }

    [Fact]
    public void TimeoutsInTwoFiles_NameBothFiles()
    {
        var more = new ModelSource("/etc/ipvsd/services/z.yaml", "timeouts: { udp: 60 }\n");
        ModelDiagnostic d = Assert.Single(ServiceModel.ParseAll([Web, more]).Diagnostics);
        Assert.Equal("timeouts are set in /etc/ipvsd/services/web.yaml (line 4) and again in /etc/ipvsd/services/z.yaml (line 1): set them in one file", d.Message);
    }

    [Fact]
    public void EveryFilesProblems_AreReportedTogether_AndThereIsNoTable()
    {
        var badShape = new ModelSource("a.yaml", "servises: []\n");
        var badValue = new ModelSource("b.yaml", "services: [ { address: 'tcp://198.18.0.9:70000' } ]\n");
        ModelResult result = ServiceModel.ParseAll([badShape, Web, badValue]);
        Assert.Null(result.Table);
        Assert.Equal([("a.yaml", ModelDiagnosticKind.Syntax), ("b.yaml", ModelDiagnosticKind.Invalid)], result.Diagnostics.Select(d => (d.Source, d.Kind)));
    }

    [Fact]
    public void NoFiles_IsTheEmptyTable() => Assert.Empty(ServiceModel.ParseAll([]).GetTableOrThrow().Services);
}
