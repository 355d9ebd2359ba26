using Netlink.Ipvs;
using ServiceProxy.Model;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>The model files updated a file at a time: what changed, and all-or-nothing refusals.</summary>
public sealed class ServiceModelFilesTests
{
    private static ModelSource Web(string pods = "198.19.0.1:8080") =>
        new("/s/web.yaml", $"services:\n  - address: tcp://198.18.0.1:80\n    destinations: [ {{ address: {pods} }} ]\n");

    private static readonly ModelSource Dns = new("/s/dns.yaml", "services:\n  - address: udp://198.18.0.2:53\ntimeouts: { udp: 30 }\n");

    [Fact]
    public void Update_ReportsOnlyTheServicesThatChanged()
    {
        var files = new ServiceModelFiles();
        Assert.Equal(2, files.Update([Web(), Dns]).Changed.Count);
        Assert.True(files.Update([Web()]).IsEmpty); // same text again
        ModelFilesUpdate edit = files.Update([Web("198.19.0.2:8080")]);
        Assert.Equal("TCP 198.18.0.1:80", Assert.Single(edit.Changed).Service.Key.ToString());
        Assert.False(edit.TimeoutsChanged);
    }

    [Fact]
    public void RemovedFile_RemovesItsServicesAndTimeouts()
    {
        var files = new ServiceModelFiles();
        files.Update([Web(), Dns]);
        ModelFilesUpdate gone = files.Update([], ["/s/dns.yaml"]);
        Assert.Equal("UDP 198.18.0.2:53", Assert.Single(gone.Removed).ToString());
        Assert.True(gone.TimeoutsChanged);
        Assert.Null(files.Timeouts);
        Assert.Equal(1, files.ServiceCount);
        Assert.Equal(["/s/web.yaml"], files.FileNames);
    }

    [Fact]
    public void ServiceMovedBetweenFilesInOneUpdate_IsNotAConflict()
    {
        var files = new ServiceModelFiles();
        files.Update([Web(), Dns]);
        var moved = new ModelSource("/s/dns.yaml", "services:\n  - address: udp://198.18.0.2:53\n  - address: tcp://198.18.0.1:80\n");
        var emptied = new ModelSource("/s/web.yaml", "services: []\n");
        ModelFilesUpdate update = files.Update([moved, emptied]);
        Assert.True(update.IsValid, string.Join("; ", update.Diagnostics));
        Assert.Equal(2, files.ServiceCount);
    }

    [Fact]
    public void InvalidOrConflictingUpdate_ChangesNothing()
    {
        var files = new ServiceModelFiles();
        files.Update([Web(), Dns]);
        ModelFilesUpdate broken = files.Update([new ModelSource("/s/web.yaml", "services: [ {")]);
        Assert.False(broken.IsValid);
        var copy = new ModelSource("/s/copy.yaml", "services:\n  - address: udp://198.18.0.2:53\n");
        ModelFilesUpdate conflict = files.Update([copy]);
        Assert.Equal("service udp://198.18.0.2:53 is defined in /s/dns.yaml (line 2) and again in /s/copy.yaml (line 2): keep one of them",
            Assert.Single(conflict.Diagnostics).Message);
        Assert.Equal(2, files.ServiceCount);
        Assert.Equal("198.19.0.1", files.Find(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, System.Net.IPAddress.Parse("198.18.0.1"), 80))!.RealServers[0].Address.ToString());
        Assert.Equal(30u, files.Timeouts!.Udp);
    }
}
