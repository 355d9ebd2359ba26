using System.Text.Json;
using CliWrap.Buffered;
using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Ipvsctl.Declarative;

/// <summary>get as a model (YAML and JSON), and what ipvsadm wrote coming back through get and apply.</summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class DeclarativeRoundTripTests : IDisposable
{
    private readonly TestNamespace _first = TestNamespace.Create();
    private readonly TestNamespace _second = TestNamespace.Create();

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    /// <summary>A table made with ipvsadm, with every option the model covers.</summary>
    private static void Populate(TestNamespace ns)
    {
        string[][] commands =
        [
            ["-A", "-t", "198.18.0.1:80", "-s", "wrr", "-p", "600", "-M", "255.255.255.0"],
            ["-a", "-t", "198.18.0.1:80", "-r", "198.19.0.1:8080", "-m", "-w", "3", "-x", "100", "-y", "10"],
            ["-a", "-t", "198.18.0.1:80", "-r", "198.19.0.2:8080", "-g", "-w", "0"],
            ["-A", "-u", "[2001:db8::53]:53", "-s", "mh", "-b", "mh-fallback,mh-port"],
            ["-a", "-u", "[2001:db8::53]:53", "-r", "[2001:db8::1:1]:53", "-m"],
            ["-A", "-u", "198.18.0.5:5060", "-s", "rr", "-p", "60", "--pe", "sip"],
            ["-A", "-f", "7", "-6", "-s", "sh", "-b", "sh-port"],
            ["-A", "-t", "198.18.0.3:443", "-s", "lc"],
            ["-A", "-t", "198.18.0.4:80", "-s", "rr", "-p", "60", "-M", "0.0.0.0"],
            ["-a", "-t", "198.18.0.3:443", "-r", "198.19.0.3:443", "-i", "--tun-type", "gue", "--tun-port", "6080", "--tun-csum", "-w", "5"],
            ["-a", "-t", "198.18.0.3:443", "-r", "198.19.0.4:443", "-i", "--tun-type", "gre", "--tun-nocsum", "-w", "5"],
        ];
        foreach (string[] command in commands)
        {
            ns.Exec("ipvsadm", command);
        }
    }

    [Fact]
    public void Get_ThenApplyOnAFreshNamespace_GivesAnEqualTable()
    {
        Populate(_first);
        string model = IpvsctlProcess.Ok(_first, null, "get");
        Assert.StartsWith("services:\n- address: tcp://198.18.0.1:80\n", model, StringComparison.Ordinal);

        IpvsctlProcess.Ok(_second, model, "apply", "-f", "-");
        Assert.Equal(IpvsctlProcess.Saved(_first), IpvsctlProcess.Saved(_second));
        Assert.Equal(model, IpvsctlProcess.Ok(_second, null, "get"));
        // ...and the kernel the model came from is already equal to it.
        Assert.Equal("{}\n", IpvsctlProcess.Ok(_first, model, "changeset", "-f", "-"));
    }

    [Fact]
    public void GetJson_SaysTheSameAsYaml()
    {
        Populate(_first);
        using JsonDocument json = JsonDocument.Parse(IpvsctlProcess.Ok(_first, null, "get", "-o", "json"));
        JsonElement[] services = [.. json.RootElement.GetProperty("services").EnumerateArray()];
        Assert.Equal(6, services.Length);
        JsonElement web = services[0];
        Assert.Equal("tcp://198.18.0.1:80", web.GetProperty("address").GetString());
        Assert.Equal(600, web.GetProperty("persistent").GetInt32());
        Assert.Equal("255.255.255.0", web.GetProperty("netmask").GetString());
        Assert.Equal(3, web.GetProperty("destinations")[0].GetProperty("weight").GetInt32());
        Assert.Equal(100, web.GetProperty("destinations")[0].GetProperty("upper-threshold").GetInt32());
        JsonElement everyClient = services.Single(s => s.GetProperty("address").GetString() == "tcp://198.18.0.4:80");
        Assert.Equal("0.0.0.0", everyClient.GetProperty("netmask").GetString());
        JsonElement mark = services[5];
        Assert.Equal(("fwmark:7", "ipv6"), (mark.GetProperty("address").GetString(), mark.GetProperty("family").GetString()));

        using JsonDocument changes = JsonDocument.Parse(IpvsctlProcess.Ok(_second, IpvsctlProcess.Ok(_first, null, "get"), "changeset", "-o", "json", "-f", "-"));
        Assert.Equal(6, changes.RootElement.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("type").GetString() == "add-service"));
    }

    [Fact]
    public void SetWeight_EditsOneRealServer()
    {
        Populate(_first);
        Assert.Equal("", IpvsctlProcess.Ok(_first, null, "set", "weight", "9", "-s", "tcp://198.18.0.1:80", "-d", "198.19.0.1:8080"));
        Assert.Contains("-a -t 198.18.0.1:80 -r 198.19.0.1:8080 -m -w 9", IpvsctlProcess.Saved(_first));
        // The other settings stay: thresholds are still there.
        Assert.Matches(@"198\.19\.0\.1:8080\s+100\s+10\s", _first.Ipvsadm("-Ln", "--thresholds"));
    }

    [Fact]
    public void SetWeight_OverTime_EndsAtTheWeight_StepByStep()
    {
        Populate(_first);
        // ipvsadm gave the direct-routing server the service's port (80); -d without a port finds it by address.
        BufferedCommandResult result = IpvsctlProcess.Run(_first, null, "-v", "set", "weight", "4", "-s", "tcp://198.18.0.1:80", "-d", "198.19.0.2", "-t", "2");
        DeclarativeApplyTests.AssertExit(result, 0);
        Assert.Contains("weight 2 (1 of 2 s)", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("-a -t 198.18.0.1:80 -r 198.19.0.2:80 -g -w 4", IpvsctlProcess.Saved(_first));
    }

    [Fact]
    public void SetWeight_OfAnUnknownDestination_IsExit34()
    {
        Populate(_first);
        BufferedCommandResult result = IpvsctlProcess.Run(_first, null, "set", "weight", "9", "-s", "tcp://198.18.0.1:80", "-d", "198.19.9.9:80");
        DeclarativeApplyTests.AssertExit(result, 34);
        Assert.Contains("destination 198.19.9.9:80 is not in service tcp://198.18.0.1:80", result.StandardError, StringComparison.Ordinal);
    }
}
